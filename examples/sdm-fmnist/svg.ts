/** One reliability curve: mean confidence and accuracy per bin, with bin counts. */
export interface ReliabilityCurve {
  name: string;
  colour: string;
  bins: { confidence: number; accuracy: number; count: number }[];
}

/** Equal-width confidence bins over [1/C, 1]. */
export function reliabilityBins(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, nBins: number, lo: number) {
  const sums = Array.from({ length: nBins }, () => ({ c: 0, a: 0, n: 0 }));
  for (let i = 0; i < confidence.length; i++) {
    const v = confidence[i]!;
    const b = Math.min(nBins - 1, Math.max(0, Math.floor(((v - lo) / (1 - lo)) * nBins)));
    sums[b]!.c += v;
    sums[b]!.a += correct[i] ? 1 : 0;
    sums[b]!.n += 1;
  }
  return sums.filter((s) => s.n > 0).map((s) => ({ confidence: s.c / s.n, accuracy: s.a / s.n, count: s.n }));
}

/** A small reliability diagram (accuracy against confidence, diagonal = perfect calibration). */
export function reliabilitySvg(title: string, curves: ReliabilityCurve[], lo: number): string {
  const W = 480;
  const H = 420;
  const m = { l: 60, r: 20, t: 40, b: 50 };
  const px = (v: number) => m.l + ((v - lo) / (1 - lo)) * (W - m.l - m.r);
  const py = (v: number) => H - m.b - ((v - lo) / (1 - lo)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${px(lo)}" y1="${py(lo)}" x2="${px(1)}" y2="${py(1)}" stroke="#999" stroke-dasharray="4 4"/>`,
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="black"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((1 - lo) * i) / 4;
    parts.push(`<text x="${px(v)}" y="${H - m.b + 16}" text-anchor="middle">${v.toFixed(2)}</text>`);
    parts.push(`<text x="${m.l - 6}" y="${py(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  parts.push(`<text x="${W / 2}" y="${H - 12}" text-anchor="middle">confidence (probability of ŷ)</text>`);
  parts.push(`<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">accuracy</text>`);
  curves.forEach((c, k) => {
    const pts = c.bins.map((b) => `${px(b.confidence).toFixed(1)},${py(b.accuracy).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="${c.colour}" stroke-width="2"/>`);
    for (const b of c.bins) {
      const r = Math.max(2, Math.min(7, Math.sqrt(b.count) / 4));
      parts.push(
        `<circle cx="${px(b.confidence).toFixed(1)}" cy="${py(b.accuracy).toFixed(1)}" r="${r.toFixed(1)}" fill="${c.colour}"/>`,
      );
    }
    parts.push(`<rect x="${m.l + 10}" y="${m.t + 10 + 18 * k}" width="12" height="12" fill="${c.colour}"/>`);
    parts.push(`<text x="${m.l + 28}" y="${m.t + 20 + 18 * k}">${c.name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
