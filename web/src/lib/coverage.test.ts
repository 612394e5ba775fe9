import { describe, expect, it } from 'vitest'
import { assignmentRole, coverageBy, coverageSince, coverageTag, coveringStatus, coveringTypeName, periodText } from './coverage'

describe('两个覆盖 labels', () => {
  it('colors the states', () => {
    expect(coverageTag('org_covered', '组织覆盖')).toEqual({ text: '组织覆盖', type: 'success' })
    expect(coverageTag('work_covered')).toEqual({ text: '工作覆盖', type: 'warning' })
    expect(coverageTag('uncovered', '')).toEqual({ text: '未覆盖', type: 'danger' })
    expect(coverageTag('strange')).toEqual({ text: 'strange', type: 'info' })
  })
  it('names how and since', () => {
    expect(coverageBy('own')).toBe('单独组建')
    expect(coverageBy('joint')).toBe('联合组建')
    expect(coverageBy('instructor')).toBe('党建指导员')
    expect(coverageBy('liaison')).toBe('党建联络员')
    expect(coverageBy('')).toBe('')
    expect(coverageSince('2024-03-01')).toBe('自 2024-03-01')
    expect(coverageSince(null)).toBe('')
  })
  it('names roles, Party-org types, statuses and periods', () => {
    expect(assignmentRole('instructor')).toBe('指导员')
    expect(assignmentRole('liaison')).toBe('联络员')
    expect(coveringTypeName('branch')).toBe('党支部')
    expect(coveringTypeName('joint_branch', true)).toBe('联合党支部')
    expect(coveringTypeName('branch', true)).toBe('党支部（联合组建）')
    expect(coveringStatus('dissolved').text).toBe('已撤销')
    expect(coveringStatus('active').text).toBe('正常')
    expect(periodText('2024-01-01', '2024-12-31')).toBe('2024-01-01 – 2024-12-31')
    expect(periodText('2024-01-01', null)).toBe('2024-01-01 起')
    expect(periodText(null, null)).toBe('—')
  })
})
