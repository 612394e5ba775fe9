import { describe, expect, it } from 'vitest'
import type { Rule } from '../api/alerts'
import {
  actionsFor, badgeText, changedParams, emptyFilter, escalatingStem, filterFromQuery, filterToApi, filterToQuery, levelBarChart,
  levelName, levelOfSeries, levelStyle, ruleLevelText, sinceText, statusName, statusTag, trendChart, trendSeries, validateRuleParams,
  worseLevel, filingKindName, termChangeKindName, todoTerm, eventActor,
} from './alerts'

describe('levels', () => {
  it('names and colours each level, dark text on yellow', () => {
    expect(levelName('red')).toBe('红色')
    expect(levelName('orange')).toBe('橙色')
    expect(levelName('yellow')).toBe('黄色')
    expect(levelName('purple')).toBe('purple')
    expect(levelName(undefined)).toBe('')
    expect(levelStyle('red').color).toBe('#fff')
    expect(levelStyle('yellow').color).not.toBe('#fff')
    expect(new Set(['red', 'orange', 'yellow'].map((l) => levelStyle(l).background)).size).toBe(3)
    expect(levelStyle('x')).toEqual({})
  })
  it('picks the worse level', () => {
    expect(worseLevel('yellow', 'red')).toBe('red')
    expect(worseLevel('orange', 'yellow')).toBe('orange')
    expect(worseLevel('', 'yellow')).toBe('yellow')
    expect(worseLevel(undefined, undefined)).toBe('')
  })
  it('maps a clicked series back to its level', () => {
    expect(levelOfSeries('红色')).toBe('red')
    expect(levelOfSeries('合计')).toBe('')
  })
})

describe('states and actions', () => {
  it('names states with their tag colour', () => {
    expect(statusName('open')).toBe('待处理')
    expect(statusName('closed')).toBe('已消除')
    expect(statusTag('open')).toBe('danger')
    expect(statusTag('resolved')).toBe('success')
  })
  it('offers the workflow steps of each state, none without alert.write', () => {
    expect(actionsFor('open', true)).toEqual(['assign', 'acknowledge', 'resolve'])
    expect(actionsFor('acknowledged', true)).toEqual(['assign', 'resolve'])
    expect(actionsFor('resolved', true)).toEqual(['reopen'])
    expect(actionsFor('closed', true)).toEqual([])
    expect(actionsFor('open', false)).toEqual([])
  })
  it('names the engine as the system', () => {
    expect(eventActor('alert-job')).toBe('系统（定时评估）')
    expect(eventActor('')).toBe('系统')
    expect(eventActor('jinjiang')).toBe('jinjiang')
  })
  it('says since when', () => {
    expect(sinceText({ since: '2026-05-12', days: 198 })).toBe('2026-05-12 起，已 198 天')
    expect(sinceText({ since: '2026-05-12', days: null })).toBe('2026-05-12 起')
    expect(sinceText({ since: '', days: 3 })).toBe('—')
  })
})

describe('list filters in the URL', () => {
  it('round-trips every filter and the paging', () => {
    const f = { ...emptyFilter(), rule: 'no_activity', level: 'red', region: '510104', under: 42, underName: '锦江区商务楼宇综合党委', status: 'all', mine: true, sort: 'since' }
    const q = filterToQuery(f, 3, 50)
    expect(q).toEqual({ rule: 'no_activity', level: 'red', region: '510104', under: '42', under_name: '锦江区商务楼宇综合党委', status: 'all', mine: '1', sort: 'since', page: '3', page_size: '50' })
    expect(filterFromQuery(q)).toEqual({ filter: f, page: 3, pageSize: 50 })
  })
  it('leaves defaults out of the URL', () => {
    expect(filterToQuery(emptyFilter())).toEqual({})
    expect(filterFromQuery({})).toEqual({ filter: emptyFilter(), page: 1, pageSize: 20 })
  })
  it('drops bad values from a hand-edited link', () => {
    const { filter, page, pageSize } = filterFromQuery({ level: 'pink', region: 'abc', under: '-3', under_name: 'x', status: 'gone', sort: 'drop table', page: '0', page_size: '1000', mine: 'yes' })
    expect(filter).toEqual(emptyFilter())
    expect(page).toBe(1)
    expect(pageSize).toBe(20)
    expect(filterFromQuery({ level: ['orange', 'red'] }).filter.level).toBe('orange')
  })
  it('builds the API query: assigned to me, the committee as under', () => {
    const q = filterToApi({ ...emptyFilter(), level: 'red', under: 7, underName: 'X', mine: true })
    expect(q).toEqual({ rule: undefined, level: 'red', region: undefined, under: 7, status: 'current', assignee: 'me', sort: '-level' })
    expect(filterToApi(emptyFilter()).assignee).toBeUndefined()
  })
})

describe('charts', () => {
  const rows = [
    { name: '长期未开展活动', yellow: 1, orange: 2, red: 3, total: 6 },
    { name: '书记空缺', yellow: 4, orange: 0, red: 1, total: 5 },
  ]
  it('stacks the levels, red first, in their colours', () => {
    const o = levelBarChart(rows, false)
    expect(o.series.map((s) => s.name)).toEqual(['红色', '橙色', '黄色'])
    expect(o.series[0].data).toEqual([3, 1])
    expect(o.series[2].data).toEqual([1, 4])
    expect(o.series.every((s) => s.stack === 'level')).toBe(true)
    expect((o.xAxis as { data: string[] }).data).toEqual(['长期未开展活动', '书记空缺'])
  })
  it('lays rules horizontally with the first on top', () => {
    const o = levelBarChart(rows, true)
    expect((o.yAxis as { data: string[] }).data).toEqual(['书记空缺', '长期未开展活动'])
    expect(o.series[0].data).toEqual([1, 3])
  })
  it('sorts the trend and carries figures over days without a run', () => {
    const t = trendSeries([
      { date: '2026-05-04', yellow: 2, orange: 0, red: 1, total: 3 },
      { date: '2026-05-01', yellow: 1, orange: 1, red: 0, total: 2 },
      { date: 'bad', yellow: 9, orange: 9, red: 9, total: 27 },
    ])
    expect(t.map((p) => p.date)).toEqual(['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04'])
    expect(t.map((p) => p.total)).toEqual([2, 2, 2, 3])
    expect(trendSeries(null)).toEqual([])
    // across a month's end
    expect(trendSeries([
      { date: '2026-02-27', yellow: 0, orange: 0, red: 0, total: 0 },
      { date: '2026-03-02', yellow: 0, orange: 0, red: 0, total: 1 },
    ]).map((p) => p.date)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'])
  })
  it('draws the total and each level over time', () => {
    const o = trendChart([{ date: '2026-05-01', yellow: 1, orange: 2, red: 3, total: 6 }])
    expect(o.series.map((s) => s.name)).toEqual(['合计', '红色', '橙色', '黄色'])
    expect(o.series.map((s) => s.data[0])).toEqual([6, 3, 2, 1])
  })
})

const vacant: Rule = {
  code: 'secretary_vacant', name: '书记空缺', description: '', basis: '', escalating: 'days', enabled: true, version: 1, updated_at: null,
  values: { yellow_days: 30, orange_days: 90, red_days: 180 },
  params: [
    { key: 'yellow_days', name: '空缺天数（黄色）', unit: '天', min: 1, max: 3650, default: 30 },
    { key: 'orange_days', name: '空缺天数（橙色）', unit: '天', min: 1, max: 3650, default: 90 },
    { key: 'red_days', name: '空缺天数（红色）', unit: '天', min: 1, max: 3650, default: 180 },
  ],
}
const attendance: Rule = {
  code: 'low_attendance', name: '参会率偏低', description: '', basis: '', escalating: 'percent', descending: true, enabled: true, version: 1, updated_at: null, values: null,
  params: [
    { key: 'yellow_percent', name: '参会率低于（黄色）', unit: '%', min: 1, max: 100, default: 70 },
    { key: 'orange_percent', name: '参会率低于（橙色）', unit: '%', min: 1, max: 100, default: 50 },
    { key: 'red_percent', name: '参会率低于（红色）', unit: '%', min: 1, max: 100, default: 30 },
    { key: 'window_days', name: '统计期', unit: '天', min: 30, max: 365, default: 90 },
  ],
}
const ending: Rule = {
  code: 'term_ending', name: '任期即将届满', description: '', basis: '', enabled: true, version: 1, updated_at: null, values: {},
  params: [
    { key: 'yellow_days', name: '提前提醒天数（黄色）', unit: '天', min: 1, max: 730, default: 180 },
    { key: 'orange_days', name: '提前提醒天数（橙色）', unit: '天', min: 1, max: 730, default: 30 },
  ],
}

describe('rule parameters, checked as the server checks them', () => {
  it('accepts the defaults', () => {
    for (const r of [vacant, attendance, ending]) {
      const v = Object.fromEntries((r.params ?? []).map((p) => [p.key, p.default]))
      expect(validateRuleParams(r, v)).toEqual({})
    }
  })
  it('names the range of a value out of it, in the server\'s words', () => {
    expect(validateRuleParams(vacant, { yellow_days: 0, orange_days: 90, red_days: 99999 })).toEqual({
      'params.yellow_days': '空缺天数（黄色）应在1到3650天之间',
      'params.red_days': '空缺天数（红色）应在1到3650天之间',
    })
    expect(validateRuleParams(vacant, { yellow_days: 30, orange_days: null, red_days: 1.5 })).toEqual({
      'params.orange_days': '请填写空缺天数（橙色）',
      'params.red_days': '空缺天数（红色）应为整数',
    })
  })
  it('keeps escalating thresholds from getting milder, one message at a time', () => {
    expect(validateRuleParams(vacant, { yellow_days: 100, orange_days: 90, red_days: 10 })).toEqual({ 'params.orange_days': '橙色阈值不能低于黄色阈值' })
    expect(validateRuleParams(vacant, { yellow_days: 30, orange_days: 90, red_days: 89 })).toEqual({ 'params.red_days': '红色阈值不能低于橙色阈值' })
    expect(validateRuleParams(vacant, { yellow_days: 30, orange_days: 30, red_days: 30 })).toEqual({})
    // a rate: the thresholds fall as the level rises
    expect(validateRuleParams(attendance, { yellow_percent: 70, orange_percent: 80, red_percent: 30, window_days: 90 })).toEqual({ 'params.orange_percent': '橙色阈值不能高于黄色阈值' })
    expect(validateRuleParams(attendance, { yellow_percent: 70, orange_percent: 50, red_percent: 60, window_days: 90 })).toEqual({ 'params.red_percent': '红色阈值不能高于橙色阈值' })
  })
  it('wants the orange term reminder nearer the end than the yellow one', () => {
    expect(validateRuleParams(ending, { yellow_days: 30, orange_days: 180 })).toEqual({ 'params.orange_days': '橙色提醒应比黄色提醒更临近届满（天数更少）' })
  })
  it('knows the threshold stem and how a rule grades', () => {
    expect(escalatingStem(vacant)).toBe('days')
    expect(escalatingStem(attendance)).toBe('percent')
    expect(escalatingStem({ escalating: '' })).toBe('')
    expect(escalatingStem(ending)).toBe('')
    expect(ruleLevelText(vacant)).toBe('黄/橙/红三级')
    expect(ruleLevelText(ending)).toBe('黄/橙两级')
    expect(ruleLevelText({ params: null, level: 'red' })).toBe('固定红色')
  })
  it('sends only the changed parameters', () => {
    expect(changedParams(vacant, { yellow_days: 30, orange_days: 60, red_days: 180 })).toEqual({ orange_days: 60 })
    // untuned values are the defaults
    expect(changedParams(attendance, { yellow_percent: 70, orange_percent: 50, red_percent: 30, window_days: 120 })).toEqual({ window_days: 120 })
  })
})

describe('to-do', () => {
  it('shows a short badge', () => {
    expect(badgeText(0)).toBe('')
    expect(badgeText(undefined)).toBe('')
    expect(badgeText(7)).toBe('7')
    expect(badgeText(100)).toBe('99+')
  })
  it('names filings and term changes', () => {
    expect(filingKindName('appointment')).toBe('书记就任备案')
    expect(filingKindName('departure')).toBe('书记离任备案')
    expect(termChangeKindName('postpone')).toBe('延期换届')
    expect(termChangeKindName('advance')).toBe('提前换届')
  })
})

describe('to-do terms', () => {
  it('reads the to-do row or a Party org, counting days from today', () => {
    expect(todoTerm({ party_org_id: 3, party_org_name: 'A', deadline: '2026-12-20', days_left: 23 }, '2026-11-27')).toEqual({
      party_org_id: 3, party_org_name: 'A', deadline: '2026-12-20', days_left: 23,
    })
    expect(todoTerm({ id: 4, name: 'B', term_end: '2026-12-20', postponed_to: '' }, '2026-11-27')).toEqual({
      party_org_id: 4, party_org_name: 'B', deadline: '2026-12-20', days_left: 23,
    })
    // an approved postponement moves the deadline; past it, the days are negative
    expect(todoTerm({ id: 5, name: 'C', term_end: '2026-01-01', postponed_to: '2026-11-01' }, '2026-11-27').days_left).toBe(-26)
    expect(todoTerm({ id: 6, name: 'D' }, '2026-11-27').days_left).toBeNull()
  })
})
