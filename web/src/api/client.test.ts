import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, buildQuery, fileNameOf, request, setUnauthorizedHandler, toApiError } from './client'

describe('toApiError', () => {
  it('keeps the server message, code and fields', () => {
    const e = toApiError(400, {
      error: { code: 'invalid', message: '名称不能为空', fields: { name: '必填', region: '未知的行政区划' } },
    })
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(400)
    expect(e.code).toBe('invalid')
    expect(e.message).toBe('名称不能为空')
    expect(e.fields).toEqual({ name: '必填', region: '未知的行政区划' })
  })

  it('passes the 401 and 423 login messages through', () => {
    expect(toApiError(401, { error: { code: 'unauthenticated', message: '用户名或密码错误，还可尝试 3 次' } }).message).toBe(
      '用户名或密码错误，还可尝试 3 次',
    )
    const locked = toApiError(423, { error: { code: 'locked', message: '账号已锁定，请于 2026-03-01 10:30 后再试' } })
    expect(locked.code).toBe('locked')
    expect(locked.message).toContain('锁定')
  })

  it('falls back to a Chinese text by status when the body is not an API error', () => {
    expect(toApiError(500, undefined).message).toBe('服务器内部错误，请稍后再试')
    expect(toApiError(500, undefined).code).toBe('internal')
    expect(toApiError(502, 'Bad Gateway').code).toBe('internal')
    expect(toApiError(403, {}).message).toBe('没有权限执行此操作')
    expect(toApiError(404, { error: null }).code).toBe('not_found')
    expect(toApiError(409, { error: { code: 'conflict' } }).message).toBe('数据已被他人修改，请刷新后重试')
    expect(toApiError(413, { error: { message: '' } }).code).toBe('too_large')
  })

  it('drops non-string field messages', () => {
    const e = toApiError(400, { error: { code: 'invalid', message: 'x', fields: { a: 1, b: 'ok' } } })
    expect(e.fields).toEqual({ b: 'ok' })
  })
})

describe('buildQuery', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(buildQuery({ q: '锦江', parent_id: 7, status: '', type: undefined, x: null })).toBe(
      '?q=%E9%94%A6%E6%B1%9F&parent_id=7',
    )
    expect(buildQuery({})).toBe('')
    expect(buildQuery({ from: '2026-01-01T00:00:00+08:00' })).toBe('?from=2026-01-01T00%3A00%3A00%2B08%3A00')
    expect(buildQuery({ role: ['a', 'b'] })).toBe('?role=a&role=b')
  })
})

describe('request', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    setUnauthorizedHandler(null)
  })

  function stubFetch(status: number, body: string) {
    const fn = vi.fn(async () => new Response(status === 204 ? null : body, { status }))
    vi.stubGlobal('fetch', fn)
    return fn
  }

  it('returns the decoded JSON', async () => {
    const fn = stubFetch(200, '{"items":[],"total":0,"page":1,"page_size":50}')
    const res = await request<{ total: number }>('GET', '/api/v1/party-orgs', { query: { parent_id: 3 } })
    expect(res.total).toBe(0)
    expect(fn).toHaveBeenCalledWith('/api/v1/party-orgs?parent_id=3', expect.objectContaining({ method: 'GET' }))
  })

  it('sends JSON bodies', async () => {
    const fn = stubFetch(200, '{}')
    await request('POST', '/api/v1/session', { body: { username: 'a', password: 'b' } })
    const init = (fn.mock.calls[0] as unknown[])[1] as RequestInit
    expect(init.body).toBe('{"username":"a","password":"b"}')
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
  })

  it('returns undefined on 204', async () => {
    stubFetch(204, '')
    await expect(request('DELETE', '/api/v1/session')).resolves.toBeUndefined()
  })

  it('throws ApiError and calls the 401 handler', async () => {
    stubFetch(401, '{"error":{"code":"unauthenticated","message":"请先登录"}}')
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    await expect(request('GET', '/api/v1/me')).rejects.toMatchObject({ status: 401, message: '请先登录' })
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('does not redirect for the login request itself', async () => {
    stubFetch(401, '{"error":{"code":"unauthenticated","message":"用户名或密码错误，还可尝试 4 次"}}')
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    await expect(request('POST', '/api/v1/session', { body: {}, skipAuthRedirect: true })).rejects.toMatchObject({
      message: '用户名或密码错误，还可尝试 4 次',
    })
    expect(handler).not.toHaveBeenCalled()
  })

  it('maps a non-JSON 500 and a network failure', async () => {
    stubFetch(500, '<html>oops</html>')
    await expect(request('GET', '/x')).rejects.toMatchObject({ status: 500, code: 'internal' })
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    await expect(request('GET', '/x')).rejects.toMatchObject({ status: 0, code: 'network' })
  })
})

describe('fileNameOf', () => {
  it('reads the RFC 5987 name the server sends', () => {
    expect(fileNameOf("attachment; filename*=UTF-8''%E5%85%9A%E5%91%98-20261127.xlsx", 'x.xlsx')).toBe('党员-20261127.xlsx')
  })
  it('reads a plain name and falls back when there is none or it is malformed', () => {
    expect(fileNameOf('attachment; filename="a.xlsx"', 'x.xlsx')).toBe('a.xlsx')
    expect(fileNameOf(null, 'x.xlsx')).toBe('x.xlsx')
    expect(fileNameOf("attachment; filename*=UTF-8''%E5%85", 'x.xlsx')).toBe('x.xlsx')
  })
})
