/**
 * Where each job of a family goes in the lineage graph: columns by generation, left to right (a job is
 * one column right of its latest parent, so a blend sits after all of its sources), and within a column
 * an order that keeps children near their parents and edges from crossing (barycentre sweeps). Every
 * node gets its own cell, so nodes never overlap however large the family.
 */

export interface LayoutEdge {
  parentId: string;
  childId: string;
}

export interface NodeBox {
  id: string;
  column: number;
  row: number;
  x: number;
  y: number;
}

export interface EdgePath {
  parentId: string;
  childId: string;
  /** An SVG path: a horizontal S-curve from the parent's right side to the child's left side. */
  d: string;
}

export interface GraphLayout {
  nodes: NodeBox[];
  edges: EdgePath[];
  width: number;
  height: number;
  /** Node ids per column, top to bottom (for keyboard moves). */
  columns: string[][];
}

export interface LayoutSize {
  nodeWidth: number;
  nodeHeight: number;
  columnGap: number;
  rowGap: number;
  padding: number;
}

/** Sweeps of the crossing reduction; a few settle any family people make. */
const SWEEPS = 4;

/**
 * `ids` in their preferred order (parents first, then by creation): ties keep it, so the layout is
 * stable as a family grows.
 */
export function layoutLineage(
  ids: readonly string[],
  links: readonly LayoutEdge[],
  size: LayoutSize,
): GraphLayout {
  const known = new Set(ids);
  const edges = links.filter(
    (e) => known.has(e.parentId) && known.has(e.childId) && e.parentId !== e.childId,
  );
  const parentsOf = new Map<string, string[]>(ids.map((id) => [id, []]));
  const childrenOf = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (!parentsOf.get(e.childId)!.includes(e.parentId)) parentsOf.get(e.childId)!.push(e.parentId);
    if (!childrenOf.get(e.parentId)!.includes(e.childId)) childrenOf.get(e.parentId)!.push(e.childId);
  }

  // Longest path from a source, in topological order (Kahn). Lineage has no cycles; should bad data
  // ever hold one, the jobs on it keep column 0 rather than hanging the view.
  const column = new Map<string, number>(ids.map((id) => [id, 0]));
  const waiting = new Map<string, number>(ids.map((id) => [id, parentsOf.get(id)!.length]));
  const queue = ids.filter((id) => waiting.get(id) === 0);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const child of childrenOf.get(id)!) {
      column.set(child, Math.max(column.get(child)!, column.get(id)! + 1));
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) queue.push(child);
    }
  }

  const columnCount = Math.max(0, ...column.values()) + 1;
  const columns: string[][] = Array.from({ length: ids.length === 0 ? 0 : columnCount }, () => []);
  for (const id of ids) columns[column.get(id)!]!.push(id);

  const position = new Map<string, number>();
  const index = () => columns.forEach((col) => col.forEach((id, i) => position.set(id, i)));
  index();
  const reorder = (col: string[], neighbours: (id: string) => string[]) => {
    const weight = new Map<string, number>();
    col.forEach((id, i) => {
      const around = neighbours(id).filter((n) => position.has(n));
      weight.set(
        id,
        around.length === 0 ? i : around.reduce((sum, n) => sum + position.get(n)!, 0) / around.length,
      );
    });
    // Array.prototype.sort is stable: equal weights keep their previous order.
    col.sort((a, b) => weight.get(a)! - weight.get(b)!);
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let c = 1; c < columns.length; c++) {
      reorder(columns[c]!, (id) => parentsOf.get(id)!);
      index();
    }
    for (let c = columns.length - 2; c >= 0; c--) {
      reorder(columns[c]!, (id) => childrenOf.get(id)!);
      index();
    }
  }

  const { nodeWidth, nodeHeight, columnGap, rowGap, padding } = size;
  const tallest = Math.max(0, ...columns.map((col) => col.length));
  const fullHeight = tallest * nodeHeight + Math.max(0, tallest - 1) * rowGap;
  const nodes: NodeBox[] = [];
  const boxes = new Map<string, NodeBox>();
  columns.forEach((col, c) => {
    const height = col.length * nodeHeight + Math.max(0, col.length - 1) * rowGap;
    // Shorter columns are centred against the tallest one, so a chain reads as a straight line.
    const top = padding + (fullHeight - height) / 2;
    col.forEach((id, row) => {
      const box = {
        id,
        column: c,
        row,
        x: padding + c * (nodeWidth + columnGap),
        y: top + row * (nodeHeight + rowGap),
      };
      nodes.push(box);
      boxes.set(id, box);
    });
  });

  const paths: EdgePath[] = edges.map((e) => {
    const from = boxes.get(e.parentId)!;
    const to = boxes.get(e.childId)!;
    const x1 = from.x + nodeWidth;
    const y1 = from.y + nodeHeight / 2;
    const x2 = to.x;
    const y2 = to.y + nodeHeight / 2;
    const bend = Math.max(24, (x2 - x1) / 2);
    return {
      parentId: e.parentId,
      childId: e.childId,
      d: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`,
    };
  });

  return {
    nodes,
    edges: paths,
    width:
      columns.length === 0 ? 0 : padding * 2 + columns.length * nodeWidth + (columns.length - 1) * columnGap,
    height: columns.length === 0 ? 0 : padding * 2 + fullHeight,
    columns,
  };
}
