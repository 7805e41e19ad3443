// Live data for the in-process checkpoint figures, the same shapes as the
// holder program (bench/ckpt/holder/main.ts): an array of small records
// whose JSON text has a given size ("live data" = that JSON size), or a
// Float64Array of a given byte length ("live data" = its bytes).

export interface Rec {
  id: number;
  name: string;
  score: number;
  tags: string[];
  pos: { x: number; y: number };
}

export function makeObjects(bytes: number): { data: Rec[]; liveBytes: number } {
  const data: Rec[] = [];
  let json = 2;
  for (let i = 0; json < bytes; i++) {
    const rec: Rec = {
      id: i,
      name: `record-${i}`,
      score: (i * 7919) % 100003 / 7,
      tags: i % 3 === 0 ? ['a', 'bb'] : ['ccc'],
      pos: { x: i % 1000, y: (i * 31) % 977 },
    };
    data.push(rec);
    json += JSON.stringify(rec).length + (i > 0 ? 1 : 0);
  }
  return { data, liveBytes: json };
}

export function makeF64(bytes: number): { data: Float64Array; liveBytes: number } {
  const data = new Float64Array(Math.floor(bytes / 8));
  for (let i = 0; i < data.length; i++) data[i] = i * 0.5;
  return { data, liveBytes: data.byteLength };
}
