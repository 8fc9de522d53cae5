/**
 * Session.togglePlay while a pause is on its way (on SwiftShader the worker can take seconds to stop a step): the button
 * still reads Pause, so a second press means play. It was read as another pause: two pauses went to the worker and the
 * press to play again was lost (the views' speed benchmark measured "stalls" that were this).
 */
import { describe, expect, test } from 'vitest';
import { Session } from '../../src/store/session.ts';
import { createStore } from '../../src/store/store.ts';
import type { TrainerClient } from '../../src/train/TrainerClient.ts';

/** A worker stand-in whose pause finishes only when told to. */
function slowPauseClient() {
  const sent: string[] = [];
  let finishPause = () => {};
  const client = {
    play: async () => void sent.push('play'),
    terminate: () => {},
    pause: () => {
      sent.push('pause');
      return new Promise<void>((resolve) => (finishPause = resolve));
    },
  };
  return { client: client as unknown as TrainerClient, sent, finish: () => finishPause() };
}

describe('Session play/pause', () => {
  test('a press while the pause is under way plays once it is done; a press after that pauses again', async () => {
    const store = createStore();
    const { client, sent, finish } = slowPauseClient();
    const session = new Session(store, client);
    store.getState().setStatus('playing');
    const first = session.togglePlay(); // pause
    const second = session.togglePlay(); // still reads playing: means play, after the pause
    expect(sent).toEqual(['pause']);
    expect(store.getState().status).toBe('playing');
    finish();
    await Promise.all([first, second]);
    expect(sent).toEqual(['pause', 'play']);
    expect(store.getState().status).toBe('playing');
    const third = session.togglePlay();
    expect(sent).toEqual(['pause', 'play', 'pause']);
    finish();
    await third;
    expect(store.getState().status).toBe('paused');
    session.dispose();
  });
});
