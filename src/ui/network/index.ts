/** The network views: props in, callbacks out; no store (each imports its own network.css). */
export { UnrolledGraph, type NodeRef, type UnrolledGraphProps } from './UnrolledGraph.tsx';
export { GateHeatmaps, type GateHeatmapsProps } from './GateHeatmaps.tsx';
export { GradientOverTime, type GradientOverTimeProps, type GradientSnapshot, type GradientOverlay } from './GradientOverTime.tsx';
export { BpttStepper, cursorStep, type BpttStepperProps } from './BpttStepper.tsx';
export { walkGraphNorms, walkGraphShape, type GraphNorms, type RowNorms } from './walkNorms.ts';
export type { GraphShape } from './graphLayout.ts';
