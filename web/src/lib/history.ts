// Change-history entries (GET …/{id}/history) as shown in the tables.
import type { HistoryEntry } from '../api/types'

const alwaysHidden = ['version', 'updated_at', 'created_at', 'path', 'depth']

/** The changed fields worth showing, in the server's order. */
export function visibleChanges(
  changes: HistoryEntry['changes'],
  hidden: readonly string[] = [],
): [string, { from: unknown; to: unknown }][] {
  const skip = new Set([...alwaysHidden, ...hidden])
  return Object.entries(changes ?? {}).filter(([k]) => !skip.has(k))
}

/** A value as text: 空 for nothing, 是/否 for booleans, lists joined with 、. */
export function historyValue(v: unknown, name: (s: string) => string = (s) => s): string {
  if (v === null || v === undefined || v === '') return '空'
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' ? name(x) : historyValue(x))).join('、') : '空'
  if (typeof v === 'object') return JSON.stringify(v)
  if (typeof v === 'string') return name(v)
  return String(v)
}
