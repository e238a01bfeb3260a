/**
 * The regions of a mask with undo and redo: every change (a region added or removed, a clear) is one
 * step. Regions are in image pixels.
 */
import { useCallback, useReducer } from 'react';
import type { Point } from '../../../../shared/geometry';

export type Region = readonly Point[];

interface History {
  past: Region[][];
  present: Region[];
  future: Region[][];
}

type Action = { type: 'set'; regions: Region[] } | { type: 'undo' } | { type: 'redo' };

/** Enough steps for any real session; older ones fall off so a long session stays small. */
const MAX_STEPS = 200;

function reduce(state: History, action: Action): History {
  switch (action.type) {
    case 'set':
      return {
        past: [...state.past, state.present].slice(-MAX_STEPS),
        present: action.regions,
        future: [],
      };
    case 'undo': {
      const previous = state.past[state.past.length - 1];
      if (!previous) return state;
      return { past: state.past.slice(0, -1), present: previous, future: [state.present, ...state.future] };
    }
    case 'redo': {
      const next = state.future[0];
      if (!next) return state;
      return { past: [...state.past, state.present], present: next, future: state.future.slice(1) };
    }
  }
}

export interface MaskHistory {
  regions: Region[];
  canUndo: boolean;
  canRedo: boolean;
  add(region: Region): void;
  remove(index: number): void;
  clear(): void;
  undo(): void;
  redo(): void;
}

export function useMaskHistory(): MaskHistory {
  const [state, dispatch] = useReducer(reduce, { past: [], present: [], future: [] });
  const add = useCallback(
    (region: Region) => dispatch({ type: 'set', regions: [...state.present, region] }),
    [state.present],
  );
  const remove = useCallback(
    (index: number) => dispatch({ type: 'set', regions: state.present.filter((_, i) => i !== index) }),
    [state.present],
  );
  const clear = useCallback(() => {
    if (state.present.length > 0) dispatch({ type: 'set', regions: [] });
  }, [state.present]);
  const undo = useCallback(() => dispatch({ type: 'undo' }), []);
  const redo = useCallback(() => dispatch({ type: 'redo' }), []);
  return {
    regions: state.present,
    canUndo: state.past.length > 0,
    canRedo: state.future.length > 0,
    add,
    remove,
    clear,
    undo,
    redo,
  };
}
