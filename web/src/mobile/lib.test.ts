import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import {
  activityTypeLabel,
  attendanceKindLabel,
  checkinErrorMessage,
  checkinMethodLabel,
  checkinTitle,
  clampRadius,
  currentYear,
  extractCode,
  formatCountdown,
  formatDay,
  formatDistance,
  formatSpan,
  greeting,
  homeAfterLogin,
  hostOf,
  isMember,
  isRepeat,
  memberOnly,
  monthLabel,
  placesText,
  refreshDelayMs,
  secondsUntil,
  validateActivate,
  yearOptions,
} from './lib'

describe('member detection and landing page', () => {
  it('knows a member by Me.member or the role', () => {
    expect(isMember(null)).toBe(false)
    expect(isMember({ roles: ['district_staff'] })).toBe(false)
    expect(isMember({ roles: [], member: { id: 1 } })).toBe(true)
    expect(isMember({ roles: ['member'] })).toBe(true)
    expect(isMember({ roles: ['org_staff'], member: null })).toBe(false)
    expect(memberOnly({ roles: ['member'], member: { id: 1 } })).toBe(true)
    expect(memberOnly({ roles: [], member: { id: 1 } })).toBe(true)
    expect(memberOnly({ roles: ['member', 'org_staff'], member: { id: 1 } })).toBe(false)
    expect(memberOnly({ roles: ['org_staff'] })).toBe(false)
  })
  it('sends members to /m and keeps a /m redirect', () => {
    expect(homeAfterLogin(true, undefined)).toBe('/m')
    expect(homeAfterLogin(true, '/members')).toBe('/m')
    expect(homeAfterLogin(true, '/m/code')).toBe('/m/code')
    expect(homeAfterLogin(true, '/mx')).toBe('/m')
    expect(homeAfterLogin(true, '//evil.example/m')).toBe('/m')
    expect(homeAfterLogin(false, '/members')).toBe('/members')
    expect(homeAfterLogin(false, '/login?x=1')).toBe('/')
    expect(homeAfterLogin(false, 'https://evil.example')).toBe('/')
    // the phone login and activation are no place to land after logging in
    expect(homeAfterLogin(true, '/m/login')).toBe('/m')
    expect(homeAfterLogin(true, '/m/activate?x=1')).toBe('/m')
    expect(homeAfterLogin(true, '/m/logins')).toBe('/m/logins')
  })
})

describe('times', () => {
  it('greets by the Shanghai hour', () => {
    expect(greeting(new Date('2026-11-27T00:00:00Z'))).toBe('早上好') // 08:00
    expect(greeting(new Date('2026-11-27T02:00:00Z'))).toBe('上午好') // 10:00
    expect(greeting(new Date('2026-11-27T04:30:00Z'))).toBe('中午好') // 12:30
    expect(greeting(new Date('2026-11-27T07:00:00Z'))).toBe('下午好') // 15:00
    expect(greeting(new Date('2026-11-27T12:00:00Z'))).toBe('晚上好') // 20:00
    expect(greeting(new Date('2026-11-27T18:00:00Z'))).toBe('晚上好') // 02:00
  })
  it('takes the year in Shanghai', () => {
    expect(currentYear(new Date('2026-12-31T16:30:00Z'))).toBe(2027)
    expect(yearOptions(new Date('2026-06-01T00:00:00Z'), 3)).toEqual([2026, 2025, 2024])
  })
  it('formats days, spans and months', () => {
    expect(formatDay('2026-11-27T06:00:00Z')).toBe('11月27日 周五 14:00')
    expect(formatDay('')).toBe('')
    expect(formatDay('garbage')).toBe('garbage')
    expect(formatSpan('2026-11-27T06:00:00Z', '2026-11-27T08:30:00Z')).toBe('11月27日 周五 14:00–16:30')
    expect(formatSpan('2026-11-27T06:00:00Z', '2026-11-28T01:00:00Z')).toBe('11月27日 周五 14:00 至 11月28日 周六 09:00')
    expect(formatSpan('2026-11-27T06:00:00Z')).toBe('11月27日 周五 14:00')
    expect(monthLabel('2026-03')).toBe('2026年3月')
    expect(monthLabel(null)).toBe('')
  })
})

describe('the rotating member code', () => {
  const now = Date.parse('2026-11-27T06:00:00Z')
  it('counts down in whole seconds', () => {
    expect(secondsUntil(now + 45_200, now)).toBe(46)
    expect(secondsUntil(now - 1000, now)).toBe(0)
    expect(formatCountdown(45)).toBe('0:45')
    expect(formatCountdown(65)).toBe('1:05')
    expect(formatCountdown(-3)).toBe('0:00')
  })
  it('refreshes a second after refresh_in, or before the expiry when sooner', () => {
    expect(refreshDelayMs(40, '2026-11-27T06:01:00Z', now)).toBe(41_000)
    // expiry in 20 s: 3 s before it
    expect(refreshDelayMs(40, '2026-11-27T06:00:20Z', now)).toBe(17_000)
    // no refresh_in: the expiry alone
    expect(refreshDelayMs(undefined, '2026-11-27T06:00:30Z', now)).toBe(27_000)
    // a phone clock far behind: expiry looks an hour away, refresh_in wins, capped at a minute
    expect(refreshDelayMs(50, '2026-11-27T07:00:00Z', now)).toBe(51_000)
    expect(refreshDelayMs(70, '2026-11-27T07:00:00Z', now)).toBe(60_000)
    expect(refreshDelayMs(undefined, '2026-11-27T07:00:00Z', now)).toBe(60_000)
    // already expired by the phone's clock: refresh_in; nothing known: 30 s
    expect(refreshDelayMs(10, '2026-11-27T05:00:00Z', now)).toBe(11_000)
    expect(refreshDelayMs(null, null, now)).toBe(30_000)
    // the server's own rhythm (a code lives 60 s, refresh_in = life left − 30 s rounded down): past the rotation
    expect(refreshDelayMs(1, '2026-11-27T06:00:31Z', now - 500)).toBe(2000)
    // never a busy loop
    expect(refreshDelayMs(0, '2026-11-27T06:00:01Z', now)).toBe(1000)
  })
  it('reads the code out of a scanned text or link', () => {
    expect(extractCode('  abc.def  ')).toBe('abc.def')
    expect(extractCode('https://x.example/m/scan?code=abc.def')).toBe('abc.def')
    expect(extractCode('https://x.example/other')).toBe('https://x.example/other')
    expect(extractCode(null)).toBe('')
  })
})

describe('distances and places', () => {
  it('formats kilometres', () => {
    expect(formatDistance(1.234)).toBe('1.2 公里')
    expect(formatDistance(1)).toBe('1.0 公里')
    expect(formatDistance(0.853)).toBe('850 米')
    expect(formatDistance(0.001)).toBe('10 米')
    expect(formatDistance(0.999)).toBe('1.0 公里')
    expect(formatDistance(12.6)).toBe('13 公里')
    expect(formatDistance(undefined)).toBe('')
    expect(formatDistance(NaN)).toBe('')
  })
  it('keeps the radius inside 1–50', () => {
    expect(clampRadius('3')).toBe(3)
    expect(clampRadius(80)).toBe(50)
    expect(clampRadius(0)).toBe(5)
    expect(clampRadius('x')).toBe(5)
  })
  it('names the host and the places', () => {
    expect(hostOf({ host_name: '丙支部' })).toBe('丙支部')
    expect(hostOf({ host_name: '' })).toBe('')
    expect(placesText({ capacity: 5, guests: 0 })).toBe('余 5 个名额')
    expect(placesText({ capacity: 5, guests: 2 })).toBe('余 3 个名额')
    expect(placesText({ capacity: 5, guests: 5 })).toBe('名额已满')
    expect(placesText({ capacity: 5, guests: 6 })).toBe('名额已满')
    expect(placesText({ capacity: 0, guests: 2 })).toBe('')
  })
})

describe('check-in results', () => {
  const sent = Date.parse('2026-11-27T06:00:10Z')
  it('recognizes a repeat', () => {
    expect(isRepeat({ id: 7, at: '2026-11-27T06:00:10Z' }, sent)).toBe(false)
    expect(isRepeat({ id: 7, at: '2026-11-27T05:50:00Z' }, sent)).toBe(true)
    expect(isRepeat({ id: 7, at: '2026-11-27T06:00:10Z' }, sent, [3, 7])).toBe(true)
    // the server's own word wins
    expect(isRepeat({ id: 7, at: '2026-11-27T05:50:00Z', repeat: false }, sent, [7])).toBe(false)
    expect(isRepeat({ id: 7, at: '2026-11-27T06:00:10Z', repeat: true }, sent)).toBe(true)
  })
  it('titles the result', () => {
    expect(checkinTitle({ kind: 'present' }, false)).toBe('签到成功')
    expect(checkinTitle({ kind: 'present' }, true)).toBe('已签到')
    expect(checkinTitle({ kind: 'leave' }, false)).toBe('已记录：请假')
  })
  it('shows the server message, else one by status or code', () => {
    expect(checkinErrorMessage(new ApiError(410, 'gone', '签到码已过期'))).toBe('签到码已过期')
    expect(checkinErrorMessage(new ApiError(410, 'unknown', '请求失败'))).toBe('签到码已过期或签到尚未开始')
    expect(checkinErrorMessage(new ApiError(400, 'invalid', '提交的数据有误'))).toBe('签到码无效，请扫描活动现场的签到码')
    expect(checkinErrorMessage(new ApiError(403, 'forbidden', '没有权限执行此操作'))).toContain('不对本组织以外的党员开放')
    expect(checkinErrorMessage(new ApiError(409, 'conflict', '活动名额已满'))).toBe('活动名额已满')
    expect(checkinErrorMessage(new ApiError(409, 'conflict', '数据已被他人修改，请刷新后重试'))).toContain('名额已满')
    expect(checkinErrorMessage(new ApiError(0, 'gone', '请求失败'))).toBe('签到码已过期或签到尚未开始')
    expect(checkinErrorMessage(new ApiError(0, 'network', '无法连接服务器，请检查网络'))).toBe('无法连接服务器，请检查网络')
    expect(checkinErrorMessage(new Error('x'))).toBe('签到失败，请稍后再试')
  })
  it('labels kinds and types', () => {
    expect(attendanceKindLabel('present')).toBe('出席')
    expect(attendanceKindLabel('leave')).toBe('请假')
    expect(attendanceKindLabel('')).toBe('未记录')
    expect(activityTypeLabel('theme_day')).toBe('主题党日')
    expect(activityTypeLabel('theme_day', '主题党日（自定）')).toBe('主题党日（自定）')
    expect(activityTypeLabel('new_type')).toBe('new_type')
    expect(checkinMethodLabel('activity_code')).toBe('扫码签到')
    expect(checkinMethodLabel('member_code')).toBe('组织者扫码')
    expect(checkinMethodLabel('manual')).toBe('现场登记')
    expect(checkinMethodLabel('')).toBe('')
  })
})

describe('activation form', () => {
  const good = { username: '13800138000', code: 'AB12CD', password: 'Pass@2026x', password2: 'Pass@2026x' }
  it('accepts a phone or an ID number', () => {
    expect(validateActivate(good)).toEqual({})
    expect(validateActivate({ ...good, username: '51010419900101001X' })).toEqual({})
  })
  it('names each bad field', () => {
    const e = validateActivate({ username: '123', code: ' ', password: 'a', password2: 'b' })
    expect(e.username).toContain('手机号')
    expect(e.code).toBe('请输入激活码')
    expect(e.password2).toBe('两次输入的密码不一致')
    expect(validateActivate({ username: '', code: '', password: '', password2: '' })).toEqual({
      username: '请输入手机号或身份证号',
      code: '请输入激活码',
      password: '请设置新密码',
      password2: '请再次输入新密码',
    })
  })
})
