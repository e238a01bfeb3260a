import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/main/core/errors';
import type { Library } from '../../src/main/core/library';
import { useTempLibraries } from './helpers';

const temp = useTempLibraries();

function follow(lib: Library, parentId: string, taskType: string, index: number | null, relation = taskType) {
  return lib.createJob({ provider: 'legnext', taskType, parent: { id: parentId, index, relation } });
}

describe('lineage', () => {
  it('walks a four-generation chain up and down with depths, all sharing the root', () => {
    const { lib, clk } = temp.fresh();
    const a = lib.createJob({ provider: 'legnext', taskType: 'diffusion' });
    clk.advance(1);
    const b = follow(lib, a.id, 'variation', 2);
    clk.advance(1);
    const c = follow(lib, b.id, 'upscale', 1);
    clk.advance(1);
    const d = follow(lib, c.id, 'pan', 0);

    expect([b, c, d].map((j) => j.rootId)).toEqual([a.id, a.id, a.id]);
    expect(lib.ancestors(d.id)).toEqual([
      { parentId: c.id, parentIndex: 0, childId: d.id, relation: 'pan', position: 0, depth: 1 },
      { parentId: b.id, parentIndex: 1, childId: c.id, relation: 'upscale', position: 0, depth: 2 },
      { parentId: a.id, parentIndex: 2, childId: b.id, relation: 'variation', position: 0, depth: 3 },
    ]);
    expect(lib.descendants(a.id).map((e) => [e.childId, e.depth])).toEqual([
      [b.id, 1],
      [c.id, 2],
      [d.id, 3],
    ]);
    expect(lib.descendants(d.id)).toEqual([]);
    expect(lib.ancestors(a.id)).toEqual([]);
    expect(lib.children(b.id).map((e) => e.childId)).toEqual([c.id]);
    expect(lib.listJobs({ rootId: a.id }).items.map((j) => j.id)).toEqual([d.id, c.id, b.id, a.id]);
  });

  it('records a blend of three sources in order and finds it from each of them', () => {
    const { lib, clk } = temp.fresh();
    const base = lib.createJob({ provider: 'legnext', taskType: 'diffusion' });
    clk.advance(1);
    const [p1, p2] = [0, 3].map((i) => follow(lib, base.id, 'variation', i));
    const p3 = lib.createJob({ provider: 'legnext', taskType: 'diffusion' });
    clk.advance(1);
    const blend = lib.createJob({
      provider: 'legnext',
      taskType: 'blend',
      parent: { id: p1!.id, index: 1, relation: 'blend' },
      extraParents: [
        { id: p2!.id, index: 0 },
        { id: p3.id, index: null },
      ],
    });
    expect(blend.parentId).toBe(p1!.id);
    expect(lib.parents(blend.id)).toEqual([
      { parentId: p1!.id, parentIndex: 1, childId: blend.id, relation: 'blend', position: 0 },
      { parentId: p2!.id, parentIndex: 0, childId: blend.id, relation: 'blend', position: 1 },
      { parentId: p3.id, parentIndex: null, childId: blend.id, relation: 'blend', position: 2 },
    ]);
    for (const p of [p1!, p2!, p3]) expect(lib.children(p.id).map((e) => e.childId)).toEqual([blend.id]);

    // Two of the sources share a parent: each edge is reported once, at its shortest distance.
    const up = lib.ancestors(blend.id);
    expect(up.map((e) => [e.parentId, e.childId, e.depth])).toEqual([
      [p1!.id, blend.id, 1],
      [p2!.id, blend.id, 1],
      [p3.id, blend.id, 1],
      [base.id, p1!.id, 2],
      [base.id, p2!.id, 2],
    ]);
    const down = lib.descendants(base.id);
    expect(down.map((e) => [e.parentId, e.childId, e.depth])).toEqual([
      [base.id, p1!.id, 1],
      [base.id, p2!.id, 1],
      [p1!.id, blend.id, 2],
      [p2!.id, blend.id, 2],
    ]);
  });

  it('counts the extend_video jobs leading to a video', () => {
    const { lib } = temp.fresh();
    const video = lib.createJob({ provider: 'legnext', taskType: 'video_diffusion' });
    const upscaled = follow(lib, video.id, 'video_upscale', 0);
    let tip = video;
    const depths = [lib.extendDepth(video.id)];
    for (let i = 0; i < 4; i++) {
      tip = follow(lib, tip.id, 'extend_video', 0, 'extend');
      depths.push(lib.extendDepth(tip.id));
    }
    expect(depths).toEqual([0, 1, 2, 3, 4]);
    expect(lib.extendDepth(follow(lib, tip.id, 'video_upscale', 0).id)).toBe(4);
    expect(lib.extendDepth(upscaled.id)).toBe(0);
    expect(() => lib.extendDepth('missing')).toThrow(InvalidInputError);
    expect(() => lib.ancestors('missing')).toThrow(InvalidInputError);
  });
});
