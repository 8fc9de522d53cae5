/** A link's views open the network panel's tab, and the panel's tab goes back into the link. */
import { describe, expect, test } from 'vitest';
import { lessonState, LESSONS } from '../../src/share/lessons.ts';
import { defaultState } from '../../src/share/schema.ts';
import { tabForViews, viewsWithTab } from '../../src/store/share.ts';

describe('views in the link and the network panel', () => {
  const none = defaultState().views;
  test('gradients open the gradient tab, heatmaps the gates, network the graph; none leaves the panel alone', () => {
    expect(tabForViews({ ...none, gradients: true, network: true })).toBe('gradients');
    expect(tabForViews({ ...none, heatmaps: true })).toBe('gates');
    expect(tabForViews({ ...none, network: true })).toBe('graph');
    expect(tabForViews(none)).toBeNull();
  });

  test('the open tab is written back as the one view of the panel; a closed panel writes none', () => {
    expect(viewsWithTab(none, true, 'gradients')).toEqual({ ...none, gradients: true });
    expect(viewsWithTab(none, true, 'stepper')).toEqual(none);
    expect(viewsWithTab({ ...none, heatmaps: true }, false, 'gates')).toEqual(none);
  });

  test('the vanishing-gradients lesson opens the gradient-over-time tab', () => {
    const lesson = LESSONS.find((l) => /vanish/i.test(l.title))!;
    expect(tabForViews(lessonState(lesson).views)).toBe('gradients');
  });
});
