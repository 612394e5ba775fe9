import { describe, expect, it } from 'vitest'
import { toApiError } from '../api/client'
import { loginRefusal, secondsLeft } from './loginErrors'

const now = new Date('2026-11-27T02:00:00Z')

describe('loginRefusal', () => {
  it('keeps a 429 sentence that says when, and waits that long', () => {
    const e = toApiError(429, { error: { code: 'too_many_requests', message: '登录尝试过于频繁，请 20 秒后再试', retry_after: 20 } })
    const r = loginRefusal(e, now)
    expect(r.text).toBe('登录尝试过于频繁，请 20 秒后再试')
    expect(secondsLeft(r.retryAt, now)).toBe(20)
  })

  it('takes the wait of a 503 from the Retry-After header and says it', () => {
    const e = toApiError(503, { error: { code: 'busy', message: '服务器繁忙' } }, 3)
    const r = loginRefusal(e, now)
    expect(r.text).toBe('服务器繁忙，请 3 秒后再试')
    expect(secondsLeft(r.retryAt, now)).toBe(3)
    // a proxy's 503 without a body or header still gets a Chinese sentence and a wait
    const bare = loginRefusal(toApiError(503, undefined), now)
    expect(bare.text).toBe('服务器繁忙，请 3 秒后再试')
    expect(secondsLeft(bare.retryAt, now)).toBe(3)
  })

  it('adds to a 423 how long the lock lasts, in local time', () => {
    const e = toApiError(423, {
      error: {
        code: 'locked',
        message: '连续 5 次登录失败，此账号在当前网络地址已锁定至 2026-11-27 10:30，请稍后再试或联系系统管理员解锁',
        locked_until: '2026-11-27T02:30:00Z',
        retry_after: 1800,
      },
    })
    const r = loginRefusal(e, now)
    expect(r.text).toContain('已锁定至 2026-11-27 10:30')
    expect(r.text).toMatch(/（约 30 分钟后、\d\d:30 起可再试）$/)
    expect(r.retryAt).toBeUndefined() // another account may still log in
  })

  it('passes a 401 through and words anything else', () => {
    expect(loginRefusal(toApiError(401, { error: { code: 'unauthenticated', message: '用户名或密码错误' } }), now).text).toBe('用户名或密码错误')
    expect(loginRefusal(new Error('x'), now).text).toBe('登录失败，请稍后再试')
    expect(secondsLeft(undefined, now)).toBe(0)
  })
})
