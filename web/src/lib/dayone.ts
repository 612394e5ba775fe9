// Streets and communities (镇街、社区) and 党小组 as the pages show them.
import type { Region } from '../api/types'

export const regionLevelNames: Record<string, string> = {
  city: '市',
  district: '区(市)县',
  functional_zone: '功能区',
  street: '镇(街道)',
  community: '社区(村)',
}

export const functionalZones = [
  { code: '510100-TF', name: '四川天府新区成都直管区' },
  { code: '510100-GX', name: '成都高新区' },
  { code: '510100-DB', name: '成都东部新区' },
]

export function zoneName(code: string | null | undefined): string {
  return functionalZones.find((z) => z.code === code)?.name ?? ''
}

/**
 * The next free statistical code under a parent (a district's 6 digits or a
 * street's 9): the parent followed by one more than the largest 3-digit
 * segment in use, e.g. 510104019 → 510104019004 after …003. '' when none is
 * left or the parent is not a code of digits.
 */
export function nextCode(parent: string, siblings: readonly Pick<Region, 'code'>[]): string {
  if (!/^\d{6}(\d{3})?$/.test(parent)) return ''
  let max = 0
  for (const s of siblings) {
    if (s.code.length === parent.length + 3 && s.code.startsWith(parent)) max = Math.max(max, Number(s.code.slice(parent.length)))
  }
  return max >= 999 ? '' : parent + String(max + 1).padStart(3, '0')
}

/** A 12-digit statistical code of a street (…000) shortened as the server stores it. */
export function normalizeRegionCode(code: string): string {
  const c = code.replace(/\s+/g, '')
  return /^\d{9}000$/.test(c) ? c.slice(0, 9) : c
}

/** The streets of a district as the server lists them: its own and those a zone administers, by sort. */
export function streetsOf(list: readonly Region[]): Region[] {
  return list.filter((r) => r.level === 'street').sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code))
}
