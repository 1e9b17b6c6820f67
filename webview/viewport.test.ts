import assert from 'node:assert/strict';
import { labelWidthFor } from './gutter';
import { TimeScale } from './time-scale';
import { AXIS_HEIGHT, Viewport } from './viewport';

describe('viewport: the chart\'s coordinate spaces', () => {
  const view = new Viewport(new TimeScale(100, 0.5), 800, 400, 30);

  it('puts trace time right of the label gutter, and maps canvas x back to the same time', () => {
    assert.equal(view.gutter, labelWidthFor(800));
    assert.equal(view.canvasX(100), view.gutter, 'the scale\'s start is at the gutter\'s edge');
    assert.equal(view.canvasX(110), view.gutter + 20);
    assert.equal(view.timeAt(view.canvasX(123.25)), 123.25);
    assert.equal(view.viewX(view.gutter + 7), 7);
  });

  it('spans the chart area: its width beside the gutter, its height under the axis', () => {
    assert.equal(view.chartWidth, 800 - view.gutter);
    assert.equal(view.chartHeight, 400 - AXIS_HEIGHT);
    assert.equal(view.startTime, 100);
    assert.equal(view.endTime, 100 + view.chartWidth * 0.5);
  });

  it('scrolls layout y under the axis and back', () => {
    assert.equal(view.canvasY(30), AXIS_HEIGHT, 'the scrolled-to row is just under the axis');
    assert.equal(view.layoutY(view.canvasY(77)), 77);
  });

  it('keeps a chart at least a pixel wide and high in a tiny canvas', () => {
    const tiny = new Viewport(new TimeScale(0, 1), 10, 5, 0);
    assert.equal(tiny.chartWidth, 1);
    assert.equal(tiny.chartHeight, 1);
  });
});
