// What the login and activation pages say when the server refuses an
// attempt: the server's own Chinese sentence, completed with when to try
// again, and how long the button should wait (issue 11: 429, 503, 423).

import { onScopeDispose, ref } from 'vue'
import { ApiError } from '../api/client'

export interface LoginRefusal {
  /** The sentence to show. */
  text: string
  /** The submit button waits until then (a throttled or busy answer). */
  retryAt?: Date
}

function clock(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getHours())}:${p(d.getMinutes())}`
}

/** The Chinese refusal of a failed login or activation at now. */
export function loginRefusal(e: unknown, now: Date = new Date()): LoginRefusal {
  if (!(e instanceof ApiError)) return { text: '登录失败，请稍后再试' }
  const secs = e.retryAfter && e.retryAfter > 0 ? e.retryAfter : undefined
  switch (e.status) {
    case 429:
    case 503: {
      const wait = secs ?? (e.status === 429 ? 60 : 3)
      const base = e.message || (e.status === 429 ? '登录尝试过于频繁' : '服务器繁忙')
      // the server's sentence already says when; otherwise say it
      const text = /秒后|分钟后/.test(base)
        ? base
        : base.includes('稍后再试')
          ? base.replace('稍后再试', ` ${wait} 秒后再试`)
          : `${base}，请 ${wait} 秒后再试`
      return { text, retryAt: new Date(now.getTime() + wait * 1000) }
    }
    case 423: {
      const until = e.lockedUntil ? new Date(e.lockedUntil) : secs ? new Date(now.getTime() + secs * 1000) : undefined
      if (!until || Number.isNaN(until.getTime())) return { text: e.message }
      const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60000))
      return { text: `${e.message}（约 ${minutes} 分钟后、${clock(until)} 起可再试）` }
    }
  }
  return { text: e.message }
}

/** Seconds left until retryAt (0 when none or past). */
export function secondsLeft(retryAt: Date | undefined, now: Date = new Date()): number {
  if (!retryAt) return 0
  return Math.max(0, Math.ceil((retryAt.getTime() - now.getTime()) / 1000))
}

/**
 * The seconds a page's submit button waits after a throttled or busy
 * answer, counted down once a second; start(undefined) clears it.
 */
export function useRetryWait() {
  const wait = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined
  let until: Date | undefined
  const stop = () => {
    if (timer) clearInterval(timer)
    timer = undefined
  }
  const tick = () => {
    wait.value = secondsLeft(until)
    if (!wait.value) stop()
  }
  function start(at: Date | undefined) {
    stop()
    until = at
    tick()
    if (wait.value) timer = setInterval(tick, 1000)
  }
  onScopeDispose(stop)
  return { wait, start }
}
