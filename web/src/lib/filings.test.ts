import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { addYears, changeLimit, deadlineText, needsOverLimitConfirm, statusTag } from './filings'

describe('the one-year limit of a term change', () => {
  it('adds years like the server, clamping 29 February', () => {
    expect(addYears('2026-06-30', 1)).toBe('2027-06-30')
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28')
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29')
    expect(addYears('2026-06-30', -1)).toBe('2025-06-30')
    expect(addYears('garbage', 1)).toBe('')
  })
  it('flags a postponement beyond one year from the end', () => {
    expect(changeLimit('postpone', '2026-06-30', '2027-06-30')).toEqual({ limit: '2027-06-30', over: false })
    expect(changeLimit('postpone', '2026-06-30', '2027-07-01')).toEqual({ limit: '2027-06-30', over: true })
  })
  it('flags an advancement earlier than one year before the end', () => {
    expect(changeLimit('advance', '2026-06-30', '2025-06-30').over).toBe(false)
    expect(changeLimit('advance', '2026-06-30', '2025-06-29')).toEqual({ limit: '2025-06-30', over: true })
  })
  it('has no limit without a term', () => {
    expect(changeLimit('postpone', null, '2030-01-01')).toEqual({ limit: '', over: false })
  })
  it('recognizes the server asking for the confirmation', () => {
    const e = new ApiError(400, 'invalid', 'x', { new_date: '延期一般不超过1年（最晚 2027-06-30）；确需超过请勾选确认' })
    expect(needsOverLimitConfirm(e)).toBe(true)
    expect(needsOverLimitConfirm(new ApiError(400, 'invalid', 'x', { reason: '请填写申请理由' }))).toBe(false)
    expect(needsOverLimitConfirm(new Error('x'))).toBe(false)
  })
})

describe('labels', () => {
  it('tags statuses', () => {
    expect(statusTag('pending')).toEqual({ text: '待审批', type: 'warning' })
    expect(statusTag('returned').type).toBe('danger')
    expect(statusTag('approved').text).toBe('已批准')
  })
  it('words the deadline', () => {
    const t = { start_on: '2023-06-30', years: 3, end_on: '2026-06-30', postponed_to: null, deadline: '2026-06-30', state: 'overdue' as const, days_left: -150 }
    expect(deadlineText(t)).toBe('已超期 150 天')
    expect(deadlineText({ ...t, days_left: 12, state: 'due_soon' })).toBe('还有 12 天')
    expect(deadlineText({ ...t, deadline: null, days_left: null, state: 'none' })).toBe('未登记任期')
  })
})
