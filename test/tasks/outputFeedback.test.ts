/** Where Jordan output feedback applies: one definition (outputFeedbackNeeds) read by the run, the link and the Model panel. */
import { describe, expect, test } from 'vitest';
import { decodeHash, encodeHash } from '../../src/share/hash.ts';
import { defaultState } from '../../src/share/schema.ts';
import { modelConfig, outputFeedbackNeeds, taskById } from '../../src/tasks/index.ts';

const rnn = { cell: 'rnn_tanh', numLayers: 1, bidirectional: false } as const;

describe('outputFeedbackNeeds', () => {
  test('copy with a one-layer vanilla RNN: nothing missing', () => {
    expect(outputFeedbackNeeds(taskById('copy'), rnn, false)).toEqual([]);
    expect(outputFeedbackNeeds(taskById('time-series'), { ...rnn, cell: 'rnn_relu' }, false)).toEqual([]);
  });

  test('each missing condition is named, in one phrase each', () => {
    expect(outputFeedbackNeeds(taskById('adding'), { cell: 'lstm', numLayers: 2, bidirectional: true }, false)).toEqual([
      'a vanilla RNN cell (tanh or ReLU)',
      '1 layer',
      'one direction',
      'an output at every step (this task reads one at the end)',
    ]);
    expect(outputFeedbackNeeds(taskById('copy'), rnn, true)).toEqual(['one-hot input, not a learned embedding']);
    expect(outputFeedbackNeeds(taskById('seq2seq'), rnn, false)).toEqual(["a recurrent task (the encoder-decoder's decoder already feeds back its outputs)"]);
  });

  test('a run asked for feedback where it does not apply is refused by name', () => {
    const copy = taskById('copy');
    const needs = { input: { kind: 'one-hot' as const, vocabulary: ['a', 'b'] }, outputSize: 2, sequenceLength: 4 };
    const arch = { cell: 'lstm' as const, hiddenSize: 4, numLayers: 1, bidirectional: false, outputFeedback: { teacherForcing: false, recurrent: true } };
    expect(() => modelConfig(copy.info, needs, arch)).toThrow(/Output feedback \(Jordan\) needs a vanilla RNN cell \(tanh or ReLU\)/);
    expect(modelConfig(copy.info, needs, { ...arch, cell: 'rnn_tanh' }).outputFeedback).toEqual({ teacherForcing: false, recurrent: true });
  });
});

describe('the link carries the feedback where it applies', () => {
  test('fb, fbt, fbr round trip for copy with rnn_tanh', () => {
    const { state, notices } = decodeHash('v=1&t=copy&c=rnn_tanh&fb=1&fbt=1&fbr=0');
    expect(notices).toEqual([]);
    expect(state.config.model.outputFeedback).toEqual({ teacherForcing: true, recurrent: false });
    expect(decodeHash(encodeHash(state)).state).toEqual(state);
  });

  test('fb for an LSTM or a many-to-one task is noted and ignored', () => {
    for (const hash of ['v=1&t=copy&fb=1', 'v=1&t=adding&c=rnn_tanh&fb=1']) {
      const { state, notices } = decodeHash(hash);
      expect(state.config.model.outputFeedback).toBeUndefined();
      expect(notices).toContain('fb: does not apply to this model or training setup; ignored');
    }
    expect(defaultState('copy').config.model.outputFeedback).toBeUndefined();
  });
});
