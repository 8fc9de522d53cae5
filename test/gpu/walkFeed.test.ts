/**
 * WalkFeed (src/store/networkWalk.ts) against a stand-in worker that answers after 500 ms:
 * it walks on pause, never has two walks in flight, and while training runs it asks again
 * WALK_MS after each answer (a fixed clock starved training on SwiftShader); a new run clears
 * the walk and the σ_max series; a changed example is walked after the one in flight.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createNetworkStore } from '../../src/store/networkStore.ts';
import { WALK_MS, WalkFeed } from '../../src/store/networkWalk.ts';
import { createStore } from '../../src/store/store.ts';
import type { WalkRequest, WalkView } from '../../src/train/walk.ts';

/** A worker stand-in: records when each walk was asked and answered. */
function fakeWorker() {
  const log: { asked: number; answered?: number; request: WalkRequest }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchWalk = (request: WalkRequest): Promise<WalkView> => {
    const entry: { asked: number; answered?: number; request: WalkRequest } = { asked: Date.now(), request };
    log.push(entry);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    return new Promise((resolve) =>
      setTimeout(() => {
        inFlight--;
        entry.answered = Date.now();
        resolve({ request, step: log.length * 10, walk: {} as WalkView['walk'], labels: [], sigmaMax: [0.9, 1.1], reach: null });
      }, 500),
    );
  };
  return { log, fetchWalk, maxInFlight: () => maxInFlight };
}

describe('WalkFeed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('walks on pause; while training, WALK_MS after each answer, one at a time; a new run clears it', async () => {
    const app = createStore();
    const net = createNetworkStore();
    const worker = fakeWorker();
    const feed = new WalkFeed(app, net, worker.fetchWalk);
    feed.start();
    expect(worker.log).toHaveLength(0); // no run yet
    app.getState().setStatus('paused');
    expect(worker.log).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600);
    expect(net.getState().walk?.step).toBe(10);
    expect(feed.sigma.row(1).value).toEqual([1.1]);

    const t0 = Date.now();
    app.getState().setStatus('playing');
    await vi.advanceTimersByTimeAsync(10_000);
    const asked = worker.log.slice(1).map((e) => e.asked - t0);
    // Asked at 2000, answered at 2500, asked at 4500, answered 5000, asked 7000, ...
    expect(asked.slice(0, 4)).toEqual([WALK_MS, 2 * WALK_MS + 500, 3 * WALK_MS + 1000, 4 * WALK_MS + 1500]);
    expect(worker.maxInFlight()).toBe(1);

    app.getState().setStatus('paused');
    const n = worker.log.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(worker.log.length).toBeLessThanOrEqual(n + 1); // the pause walk, then nothing while paused

    app.getState().newHistory(null, app.getState().config);
    expect(net.getState().walk).toBeNull();
    expect(feed.sigma.row(0).step).toEqual([]);
    feed.dispose();
  });

  test('a new example while a walk is in flight is walked right after it', async () => {
    const app = createStore();
    const net = createNetworkStore();
    const worker = fakeWorker();
    const feed = new WalkFeed(app, net, worker.fetchWalk);
    app.getState().setStatus('paused');
    feed.start();
    expect(worker.log).toHaveLength(1);
    net.getState().setIndex(4);
    expect(worker.log).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600);
    expect(worker.log).toHaveLength(2);
    expect(worker.log[1].request).toEqual({ kind: 'example', index: 4 });
    feed.dispose();
  });
});
