import { describe, expect, it } from 'vitest'
import { diffRecords, formatDate, formatTerm, formatTime, prettyJSON, shanghaiToISO, termTag, todayShanghai } from './format'

describe('formatTime', () => {
  it('shows UTC timestamps in Asia/Shanghai', () => {
    expect(formatTime('2026-03-01T02:03:04Z')).toBe('2026-03-01 10:03:04')
    expect(formatTime('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00:00')
    expect(formatTime('2026-03-01T10:03:04+08:00')).toBe('2026-03-01 10:03:04')
    expect(formatTime('2026-03-01T02:03:04.987654Z')).toBe('2026-03-01 10:03:04')
  })
  it('tolerates empty and bad input', () => {
    expect(formatTime(null)).toBe('')
    expect(formatTime('')).toBe('')
    expect(formatTime('not a time')).toBe('not a time')
  })
})

describe('formatDate', () => {
  it('keeps plain dates and converts timestamps', () => {
    expect(formatDate('2026-11-27')).toBe('2026-11-27')
    expect(formatDate('2026-11-26T17:00:00Z')).toBe('2026-11-27')
    expect(formatDate(undefined)).toBe('')
  })
})

describe('shanghaiToISO', () => {
  it('converts Shanghai wall time to UTC', () => {
    expect(shanghaiToISO('2026-03-01 08:00:00')).toBe('2026-03-01T00:00:00Z')
    expect(shanghaiToISO('2026-01-01')).toBe('2025-12-31T16:00:00Z')
    expect(shanghaiToISO('2026-01-01 23:59:59')).toBe('2026-01-01T15:59:59Z')
    expect(shanghaiToISO('')).toBe('')
    expect(shanghaiToISO('yesterday')).toBe('')
  })
  it('round-trips with formatTime', () => {
    expect(formatTime(shanghaiToISO('2026-07-15 13:45:10'))).toBe('2026-07-15 13:45:10')
  })
})

describe('todayShanghai', () => {
  it('uses the Shanghai date, not UTC', () => {
    expect(todayShanghai(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01')
    expect(todayShanghai(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02')
  })
})

describe('terms', () => {
  it('names the term states', () => {
    expect(termTag('ok')).toEqual({ text: '正常', type: 'success' })
    expect(termTag('due_soon')).toEqual({ text: '即将到期', type: 'warning' })
    expect(termTag('overdue')).toEqual({ text: '已超期', type: 'danger' })
    expect(termTag('none').text).toBe('未设置')
    expect(termTag(undefined).text).toBe('未设置')
  })
  it('describes a term', () => {
    expect(formatTerm('2023-05-01', '2026-04-30', 3)).toBe('2023-05-01 至 2026-04-30（3年）')
    expect(formatTerm(null, null)).toBe('')
    expect(formatTerm('2023-05-01', null)).toBe('2023-05-01 至 —')
  })
})

describe('prettyJSON', () => {
  it('pretty-prints objects and JSON strings', () => {
    expect(prettyJSON({ a: 1 })).toBe('{\n  "a": 1\n}')
    expect(prettyJSON('{"a":1}')).toBe('{\n  "a": 1\n}')
    expect(prettyJSON(null)).toBe('—')
    expect(prettyJSON('plain')).toBe('plain')
  })
})

describe('diffRecords', () => {
  it('lists changed fields of objects or JSON text, without bookkeeping', () => {
    const before = '{"name":"甲","secretary_name":"黄杰华","version":1,"updated_at":"x"}'
    const after = { name: '甲', secretary_name: '测试书记', version: 2, updated_at: 'y' }
    expect(diffRecords(before, after)).toEqual([{ field: 'secretary_name', from: '黄杰华', to: '测试书记' }])
  })
  it('handles missing sides', () => {
    expect(diffRecords('', { a: 1 })).toEqual([{ field: 'a', from: undefined, to: 1 }])
    expect(diffRecords(null, null)).toEqual([])
  })
})
