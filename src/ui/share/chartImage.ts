/**
 * A chart (src/viz/TimeChart: curves on a canvas, axes and labels in an SVG overlay) as one
 * picture. SVG: the overlay with its computed styles written inline and the canvas embedded
 * as a PNG <image> beneath it (the curves are not redrawn as paths). PNG: the page's
 * background, the canvas, then the overlay drawn over it, at the screen's pixel density.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Style properties copied inline so the picture looks as the page does without its CSS. */
const STYLES = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility', 'display'];

/** The canvas and overlay of the chart plot `plot`; throws when it has none. */
function parts(plot: Element): { canvas: HTMLCanvasElement; svg: SVGSVGElement; width: number; height: number } {
  const canvas = plot.querySelector('canvas');
  const svg = plot.querySelector('svg');
  if (!canvas || !svg) throw new Error('the chart has not been drawn yet');
  return { canvas, svg, width: plot.clientWidth, height: plot.clientHeight };
}

/** The overlay as standalone SVG text, its styles inline; with `image`, that image beneath it. */
function overlaySvg(svg: SVGSVGElement, width: number, height: number, image?: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const to = [copy, ...Array.from(copy.querySelectorAll('*'))];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    (to[i] as SVGElement).setAttribute('style', STYLES.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';'));
  });
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  copy.style.overflow = 'visible';
  if (image) {
    const img = document.createElementNS(SVG_NS, 'image');
    img.setAttribute('href', image);
    img.setAttribute('width', String(width));
    img.setAttribute('height', String(height));
    copy.insertBefore(img, copy.firstChild);
  }
  return new XMLSerializer().serializeToString(copy);
}

/** The chart as SVG: the overlay, with the canvas's curves embedded as an image. */
export function chartSvg(plot: Element): Blob {
  const { canvas, svg, width, height } = parts(plot);
  return new Blob([overlaySvg(svg, width, height, canvas.toDataURL('image/png'))], { type: 'image/svg+xml' });
}

/** The chart as PNG: background, canvas and overlay composed. */
export async function chartPng(plot: Element): Promise<Blob> {
  const { canvas, svg, width, height } = parts(plot);
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw a 2D canvas');
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  const url = URL.createObjectURL(new Blob([overlaySvg(svg, width, height)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    ctx.drawImage(image, 0, 0, out.width, out.height);
  } finally {
    URL.revokeObjectURL(url);
  }
  return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be made'))), 'image/png'));
}
