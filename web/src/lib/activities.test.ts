import { describe, expect, it } from 'vitest'
import type { ActivityView, ComplianceLedger } from '../api/activities'
import {
  activityPayload, activityStatusTag, activityToForm, complianceChart, activityTypeName, attendanceKindTag, bucketByDay, calendarWeeks, moreText,
  defaultTimes, emptyActivityForm, heldPayload, ledgerGrid, missingLabel, periodShort, periodStyle, rateText, timeSpan,
  yearMonths,
} from './activities'

describe('names and tags', () => {
  it('names types and statuses', () => {
    expect(activityTypeName('theme_day')).toBe('主题党日')
    expect(activityTypeName('question_solving')).toBe('党员出题·支部定题·党群破题')
    expect(activityTypeName('nope')).toBe('nope')
    expect(activityStatusTag('held')).toEqual({ text: '已开展', type: 'success' })
    expect(activityStatusTag('cancelled').text).toBe('已取消')
    expect(attendanceKindTag('')).toEqual({ text: '未登记', type: 'info' })
    expect(attendanceKindTag('leave').text).toBe('请假')
  })
  it('shows rates with one decimal, none when nothing is due', () => {
    expect(rateText(87.5)).toBe('87.5%')
    expect(rateText(100)).toBe('100%')
    expect(rateText(0, 0)).toBe('—')
    expect(rateText(null)).toBe('—')
  })
})

describe('period colours', () => {
  it('maps every status to its class', () => {
    expect(periodStyle('done')).toEqual({ cls: 'ledger-done', label: '已完成' })
    expect(periodStyle('missing').cls).toBe('ledger-missing')
    expect(periodStyle('in_progress').cls).toBe('ledger-in-progress')
    expect(periodStyle('not_started').cls).toBe('ledger-not-started')
    expect(periodStyle('not_required')).toEqual({ cls: 'ledger-not-required', label: '不作要求' })
    expect(periodStyle('odd').cls).toBe('ledger-unknown')
  })
  it('shortens period labels', () => {
    expect(periodShort('2026-03')).toBe('3月')
    expect(periodShort('2026-Q2')).toBe('二季度')
    expect(periodShort('2026-H2')).toBe('下半年')
    expect(periodShort('2026')).toBe('全年')
  })
})

describe('ledgerGrid', () => {
  const ledger: ComplianceLedger = {
    year: 2026,
    due: 5,
    done: 3,
    rate: 60,
    requirements: [
      {
        requirement: 'members_meeting', frequency: 'quarterly', applies: true, due: 2, done: 1,
        periods: [
          { period: '2026-Q1', start: '2026-01-01', end: '2026-03-31', status: 'done', held: 2 },
          { period: '2026-Q2', start: '2026-04-01', end: '2026-06-30', status: 'missing', held: 0 },
          { period: '2026-Q3', start: '2026-07-01', end: '2026-09-30', status: 'in_progress', held: 0 },
          { period: '2026-Q4', start: '2026-10-01', end: '2026-12-31', status: 'not_started', held: 0 },
        ],
      },
      { requirement: 'committee_meeting', frequency: 'monthly', applies: false, reason: '正式党员不足7人，不设支委会', due: 0, done: 0, periods: [] },
      {
        requirement: 'life_meeting', frequency: 'yearly', applies: true, due: 0, done: 0,
        periods: [{ period: '2026', start: '2026-01-01', end: '2026-12-31', status: 'in_progress', held: 0 }],
      },
      {
        requirement: 'theme_day', frequency: 'monthly', applies: true, due: 1, done: 1,
        periods: [{ period: '2026-05', start: '2026-05-01', end: '2026-05-31', status: 'done', held: 1 }],
      },
    ],
  }
  it('places each period on the months it covers', () => {
    const rows = ledgerGrid(ledger)
    expect(rows.map((r) => r.name)).toEqual(['支部党员大会', '支委会', '组织生活会', '主题党日'])
    expect(rows[0].frequencyName).toBe('每季度')
    expect(rows[0].cells.map((c) => [c.col, c.span, c.cls, c.short])).toEqual([
      [1, 3, 'ledger-done', '一季度'],
      [4, 3, 'ledger-missing', '二季度'],
      [7, 3, 'ledger-in-progress', '三季度'],
      [10, 3, 'ledger-not-started', '四季度'],
    ])
    expect(rows[0].cells[0].held).toBe(2)
    expect(rows[1].applies).toBe(false)
    expect(rows[1].reason).toContain('不设支委会')
    expect(rows[1].cells).toEqual([])
    expect(rows[2].cells[0]).toMatchObject({ col: 1, span: 12, short: '全年' })
    expect(rows[3].cells[0]).toMatchObject({ col: 5, span: 1, short: '5月' })
    expect(ledgerGrid(null)).toEqual([])
  })
  it('labels missing items', () => {
    expect(missingLabel({ requirement: 'party_lecture', period: '2026-Q2', start: '2026-04-01', end: '2026-06-30' })).toBe('2026-Q2 党课')
  })
})

describe('calendar', () => {
  it('buckets by the Shanghai date of the start', () => {
    const items = [
      { id: 1, starts_at: '2026-06-01T15:30:00Z' }, // 23:30 on 1 June in Shanghai
      { id: 2, starts_at: '2026-06-01T16:30:00Z' }, // 00:30 on 2 June
      { id: 3, starts_at: '2026-06-01T01:00:00Z' }, // 09:00 on 1 June
    ]
    const b = bucketByDay(items)
    expect([...b.keys()]).toEqual(['2026-06-01', '2026-06-02'])
    expect(b.get('2026-06-01')!.map((a) => a.id)).toEqual([3, 1])
    expect(b.get('2026-06-02')!.map((a) => a.id)).toEqual([2])
  })
  it('asks for exactly the weeks the grid shows', () => {
    // March 2026 begins on a Sunday and ends on a Tuesday.
    expect(calendarWeeks('2026-03')).toEqual({ from: '2026-02-23', to: '2026-04-05' })
    expect(calendarWeeks('2026-03', 0)).toEqual({ from: '2026-03-01', to: '2026-04-04' })
    // February 2021: Monday the 1st to Sunday the 28th, four weeks.
    expect(calendarWeeks('2021-02')).toEqual({ from: '2021-02-01', to: '2021-02-28' })
    expect(calendarWeeks('2026-12-15')).toEqual({ from: '2026-11-30', to: '2027-01-03' })
    expect(calendarWeeks('bad')).toEqual({ from: '', to: '' })
  })
  it('says how many more a crowded day holds', () => {
    expect(moreText(2730, 3)).toBe('+2727')
    expect(moreText(3, 3)).toBe('')
    expect(moreText(0, 0)).toBe('')
  })
  it('lists twelve months with their themes', () => {
    const m = yearMonths(2026, [{ month: '2026-07', title: '七一' }])
    expect(m).toHaveLength(12)
    expect(m[0]).toEqual({ month: '2026-01', label: '1月', theme: null })
    expect(m[6].theme?.title).toBe('七一')
  })
})

describe('activity form', () => {
  const now = new Date('2026-06-01T01:03:00Z') // 09:03 in Shanghai
  it('starts from the next ten minutes, for two hours, in Shanghai time', () => {
    expect(defaultTimes(now)).toEqual({ starts_at: '2026-06-01 09:10:00', ends_at: '2026-06-01 11:10:00' })
    const f = emptyActivityForm(7, now)
    expect(f.party_org_id).toBe(7)
    expect(f.type).toBe('theme_day')
  })
  it('builds the body with UTC times and clears what does not apply', () => {
    const f = emptyActivityForm(7, now)
    Object.assign(f, {
      type: 'party_lecture', title: ' 党课 ', co_host_ids: [8, 9], monthly_theme_id: 3, question: 'q', decision: 'd', outcome: 'o',
      capacity: 30, open: false, minutes: 'm', resolutions: 'r', held: false, latitude: 30.6, longitude: null,
    })
    const p = activityPayload(f)
    expect(p).toMatchObject({
      party_org_id: 7, type: 'party_lecture', title: '党课', co_host_ids: [], monthly_theme_id: null, question: '', decision: '',
      outcome: '', capacity: 0, status: 'planned', minutes: '', resolutions: '', latitude: 30.6, longitude: null,
      starts_at: '2026-06-01T01:10:00Z', ends_at: '2026-06-01T03:10:00Z',
    })
  })
  it('keeps the fields of the types they belong to', () => {
    const f = emptyActivityForm(7, now)
    Object.assign(f, { type: 'joint_theme_day', co_host_ids: [7, 8, 9], monthly_theme_id: 3, open: true, capacity: 20 })
    let p = activityPayload(f)
    expect(p.co_host_ids).toEqual([8, 9]) // the main host is not its own co-host
    expect(p.monthly_theme_id).toBe(3)
    expect(p.capacity).toBe(20)
    Object.assign(f, { type: 'question_solving', question: '停车难', decision: '协调车位', outcome: '', held: true, minutes: '记录' })
    p = activityPayload(f)
    expect(p).toMatchObject({ co_host_ids: [], monthly_theme_id: null, question: '停车难', decision: '协调车位', status: 'held', minutes: '记录' })
  })
  it('round-trips an activity and marks it held', () => {
    const a = {
      id: 5, party_org_id: 7, co_host_ids: [], type: 'theme_day', title: '主题党日', theme: '', monthly_theme_id: null,
      monthly_theme: { id: 3, month: '2026-06', title: '学习' }, starts_at: '2026-06-01T01:10:00Z', ends_at: '2026-06-01T03:10:00Z',
      address: '会议室', latitude: null, longitude: null, open: false, capacity: 0, agenda: '', status: 'planned', minutes: '',
      resolutions: '', question: '', decision: '', outcome: '', version: 4,
    } as unknown as ActivityView
    const f = activityToForm(a)
    expect(f.starts_at).toBe('2026-06-01 09:10:00')
    expect(f.monthly_theme_id).toBe(3)
    const p = heldPayload(a, '会议记录', '决议')
    expect(p).toMatchObject({ status: 'held', minutes: '会议记录', resolutions: '决议', version: 4, starts_at: '2026-06-01T01:10:00Z', monthly_theme_id: 3 })
  })
  it('shows a time span', () => {
    expect(timeSpan('2026-06-01T01:10:00Z', '2026-06-01T03:10:00Z')).toBe('2026-06-01 09:10 – 11:10')
    expect(timeSpan('2026-06-01T01:10:00Z', '2026-06-02T03:10:00Z')).toBe('2026-06-01 09:10 – 2026-06-02 11:10')
  })
})

describe('complianceChart', () => {
  it('colours the rates', () => {
    const o = complianceChart([
      { name: '锦江区', rate: 95.04, due: 10 },
      { name: '青羊区', rate: 70, due: 10 },
      { name: '武侯区', rate: 12, due: 10 },
      { name: '新区', rate: 0, due: 0 },
    ])
    expect(o.xAxis.data).toEqual(['锦江区', '青羊区', '武侯区', '新区'])
    expect(o.series[0].data.map((d) => [d.value, d.itemStyle.color])).toEqual([
      [95, '#67c23a'],
      [70, '#e6a23c'],
      [12, '#f56c6c'],
      [0, '#f56c6c'],
    ])
  })
})
