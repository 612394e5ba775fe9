// The JSON client of the lianxin API (docs/API.md). Every failure becomes an
// ApiError carrying the server's Chinese message and, for validation errors,
// the per-field messages.

export type FieldErrors = Record<string, string>

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldErrors
  /** Seconds until trying again may succeed (429, 503, 423): Retry-After. */
  readonly retryAfter?: number
  /** When a locked login ends (RFC 3339), on 423. */
  readonly lockedUntil?: string

  constructor(
    status: number,
    code: string,
    message: string,
    fields: FieldErrors = {},
    retry: { retryAfter?: number; lockedUntil?: string } = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.retryAfter = retry.retryAfter
    this.lockedUntil = retry.lockedUntil
  }
}

const codeByStatus: Record<number, string> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  423: 'locked',
  429: 'too_many_requests',
  500: 'internal',
  503: 'busy',
}

const fallbackMessages: Record<string, string> = {
  invalid: '提交的数据有误',
  unauthenticated: '未登录或登录已过期，请重新登录',
  forbidden: '没有权限执行此操作',
  not_found: '记录不存在或不在您的数据范围内',
  conflict: '数据已被他人修改，请刷新后重试',
  too_large: '提交的内容过大',
  locked: '账号已锁定',
  too_many_requests: '操作过于频繁，请稍后再试',
  busy: '服务器繁忙，请稍后再试',
  internal: '服务器内部错误，请稍后再试',
  network: '无法连接服务器，请检查网络',
  unknown: '请求失败',
}

/** Reads a Retry-After header in seconds (an HTTP date is not sent by lianxin). */
export function retryAfterSeconds(header: string | null | undefined): number | undefined {
  if (!header || !/^\d+$/.test(header.trim())) return undefined
  return Number(header.trim())
}

/**
 * Turns an HTTP status and a (possibly non-JSON) body into an ApiError;
 * retryAfter is the Retry-After header's seconds, used when the body has none.
 */
export function toApiError(status: number, body: unknown, retryAfter?: number): ApiError {
  const fallbackCode = codeByStatus[status] ?? (status >= 500 ? 'internal' : 'unknown')
  const err =
    body && typeof body === 'object' && 'error' in body
      ? ((body as { error: unknown }).error as Record<string, unknown> | null)
      : null
  if (!err || typeof err !== 'object') {
    return new ApiError(status, fallbackCode, fallbackMessages[fallbackCode] ?? fallbackMessages.unknown, {}, { retryAfter })
  }
  const code = typeof err.code === 'string' && err.code ? err.code : fallbackCode
  let message = typeof err.message === 'string' && err.message ? err.message : ''
  // Internal errors never leak details; show the generic text if none came.
  if (!message) message = fallbackMessages[code] ?? fallbackMessages[fallbackCode] ?? fallbackMessages.unknown
  const fields: FieldErrors = {}
  if (err.fields && typeof err.fields === 'object') {
    for (const [k, v] of Object.entries(err.fields as Record<string, unknown>)) {
      if (typeof v === 'string') fields[k] = v
    }
  }
  const retry = {
    retryAfter: typeof err.retry_after === 'number' && err.retry_after > 0 ? err.retry_after : retryAfter,
    lockedUntil: typeof err.locked_until === 'string' && err.locked_until ? err.locked_until : undefined,
  }
  return new ApiError(status, code, message, fields, retry)
}

export function networkError(): ApiError {
  return new ApiError(0, 'network', fallbackMessages.network)
}

export type Query = Record<string, string | number | boolean | null | undefined | string[]>

/** Builds a query string, leaving out empty values. */
export function buildQuery(q?: Query): string {
  if (!q) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) {
      for (const item of v) p.append(k, item)
    } else {
      p.append(k, String(v))
    }
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

type UnauthorizedHandler = () => void
let onUnauthorized: UnauthorizedHandler | null = null

/** Registers what to do when the server answers 401 (go to the login page). */
export function setUnauthorizedHandler(h: UnauthorizedHandler | null): void {
  onUnauthorized = h
}

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** Do not call the 401 handler (the login request itself). */
  skipAuthRedirect?: boolean
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: string | FormData | undefined
  if (opts.body instanceof FormData) {
    body = opts.body // the browser sets the multipart Content-Type with its boundary
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  let res: Response
  try {
    res = await fetch(path + buildQuery(opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
    })
  } catch {
    throw networkError()
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let data: unknown = undefined
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = undefined
    }
  }
  if (!res.ok) {
    const e = toApiError(res.status, data, retryAfterSeconds(res.headers.get('Retry-After')))
    if (res.status === 401 && !opts.skipAuthRedirect && onUnauthorized) onUnauthorized()
    throw e
  }
  return data as T
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
}

/** The file name of a Content-Disposition header (RFC 5987 or plain). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1])
    } catch {
      return fallback
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition)
  return plain ? plain[1] : fallback
}

/**
 * Downloads a file answer (an XLSX export) and hands it to the browser as a
 * save; a refusal comes back as the same ApiError as any JSON request.
 */
export async function downloadFile(path: string, query?: Query, fallbackName = 'download.xlsx'): Promise<string> {
  let res: Response
  try {
    res = await fetch(path + buildQuery(query), { credentials: 'same-origin' })
  } catch {
    throw networkError()
  }
  if (!res.ok) {
    let data: unknown
    try {
      data = await res.json()
    } catch {
      data = undefined
    }
    if (res.status === 401 && onUnauthorized) onUnauthorized()
    throw toApiError(res.status, data)
  }
  const name = fileNameOf(res.headers.get('Content-Disposition'), fallbackName)
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return name
}
