/** A number as the network views show it, with its full-precision value in data-value for tests. */
import { formatNumber } from './format.ts';

/** Props of {@link Num}. */
export interface NumProps {
  /** The value. */
  value: number;
  /** data-testid, so a test can find it. */
  testId?: string;
}

/** The formatted number in a span. */
export function Num({ value, testId }: NumProps) {
  return (
    <span className="nv-num" data-testid={testId} data-value={value}>
      {formatNumber(value)}
    </span>
  );
}
