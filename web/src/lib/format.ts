// Dates and times as the users read them: Asia/Shanghai (UTC+8 all year,
// no daylight saving since 1991), "YYYY-MM-DD HH:mm:ss".

import type { TermState } from '../api/types'

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** Formats an RFC 3339 timestamp in Asia/Shanghai; '' for empty, the input for garbage. */
export function formatTime(ts: string | null | undefined): string {
  if (!ts) return ''
  const ms = Date.parse(ts)
  if (Number.isNaN(ms)) return String(ts)
  const d = new Date(ms + SHANGHAI_OFFSET_MS)
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  )
}

/** Formats a date-only value (YYYY-MM-DD or a timestamp, shown as its Shanghai date). */
export function formatDate(v: string | null | undefined): string {
  if (!v) return ''
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v
  const t = formatTime(v)
  return t.length >= 10 ? t.slice(0, 10) : t
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD. */
export function todayShanghai(now: Date = new Date()): string {
  return formatTime(now.toISOString()).slice(0, 10)
}

/**
 * Converts a wall-clock time in Asia/Shanghai ("YYYY-MM-DD HH:mm:ss" or
 * "YYYY-MM-DD") to an RFC 3339 UTC timestamp for API filters.
 */
export function shanghaiToISO(local: string | null | undefined): string {
  if (!local) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local.trim())
  if (!m) return ''
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - SHANGHAI_OFFSET_MS
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

export interface TermTag {
  text: string
  type: 'success' | 'warning' | 'danger' | 'info'
}

/** The 换届 state as a tag: 正常 / 即将到期 / 已超期 / 未设置. */
export function termTag(state: TermState | string | null | undefined): TermTag {
  switch (state) {
    case 'ok':
      return { text: '正常', type: 'success' }
    case 'due_soon':
      return { text: '即将到期', type: 'warning' }
    case 'overdue':
      return { text: '已超期', type: 'danger' }
    default:
      return { text: '未设置', type: 'info' }
  }
}

/** "3年" for a term length. */
export function formatTermYears(n: number | null | undefined): string {
  return n ? `${n}年` : ''
}

/** Describes a term: "2023-05-01 至 2026-04-30（3年）". */
export function formatTerm(start: string | null | undefined, end: string | null | undefined, years?: number | null): string {
  if (!start && !end) return ''
  const span = `${formatDate(start) || '—'} 至 ${formatDate(end) || '—'}`
  return years ? `${span}（${years}年）` : span
}

function parseMaybeJSON(v: unknown): unknown {
  if (typeof v !== 'string') return v
  if (v === '') return null
  try {
    return JSON.parse(v)
  } catch {
    return v
  }
}

export interface FieldChange {
  field: string
  from: unknown
  to: unknown
}

/**
 * The top-level fields that differ between two states of a record (each an
 * object or its JSON text). Bookkeeping fields are left out.
 */
export function diffRecords(before: unknown, after: unknown, ignore: readonly string[] = ['updated_at', 'version']): FieldChange[] {
  const b = parseMaybeJSON(before)
  const a = parseMaybeJSON(after)
  const bo = b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {}
  const ao = a && typeof a === 'object' && !Array.isArray(a) ? (a as Record<string, unknown>) : {}
  const keys: string[] = []
  for (const k of [...Object.keys(bo), ...Object.keys(ao)]) if (!keys.includes(k)) keys.push(k)
  const out: FieldChange[] = []
  for (const k of keys) {
    if (ignore.includes(k)) continue
    if (JSON.stringify(bo[k]) !== JSON.stringify(ao[k])) out.push({ field: k, from: bo[k], to: ao[k] })
  }
  return out
}

/** Pretty JSON for before/after panes. */
export function prettyJSON(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—'
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2)
    } catch {
      return v
    }
  }
  return JSON.stringify(v, null, 2)
}
