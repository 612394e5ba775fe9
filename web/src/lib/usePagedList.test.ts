import { describe, expect, it, vi } from 'vitest'
import { usePagedList } from './usePagedList'
import type { Page } from '../api/types'

const pageOf = <T>(items: T[], total = items.length): Page<T> => ({ items, total, page: 1, page_size: 20 })

function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('usePagedList', () => {
  it('loads a page with the paging parameters', async () => {
    const fetch = vi.fn((_p: { page: number; page_size: number }) => Promise.resolve(pageOf(['a', 'b'], 42)))
    const l = usePagedList(fetch, { pageSize: 50 })
    expect(l.pageSize.value).toBe(50)
    const done = l.load()
    expect(l.loading.value).toBe(true)
    await done
    expect(fetch).toHaveBeenCalledWith({ page: 1, page_size: 50 })
    expect(l.rows.value).toEqual(['a', 'b'])
    expect(l.total.value).toBe(42)
    expect(l.loading.value).toBe(false)
  })

  it('keeps the page on load and goes back to page 1 on search', async () => {
    const fetch = vi.fn((_p: { page: number; page_size: number }) => Promise.resolve(pageOf([1])))
    const l = usePagedList(fetch)
    l.page.value = 3
    await l.load()
    expect(fetch).toHaveBeenLastCalledWith({ page: 3, page_size: 20 })
    await l.search()
    expect(l.page.value).toBe(1)
    expect(fetch).toHaveBeenLastCalledWith({ page: 1, page_size: 20 })
  })

  it('reports a failure and keeps the rows', async () => {
    const onError = vi.fn()
    let fail = false
    const l = usePagedList(() => (fail ? Promise.reject(new Error('boom')) : Promise.resolve(pageOf(['x']))), { onError })
    await l.load()
    fail = true
    await l.load()
    expect(onError).toHaveBeenCalledTimes(1)
    expect(l.rows.value).toEqual(['x'])
    expect(l.loading.value).toBe(false)
  })

  it('drops an answer that arrives after a newer one', async () => {
    const slow = deferred<Page<string>>()
    const fast = deferred<Page<string>>()
    const answers = [slow.promise, fast.promise]
    const l = usePagedList(() => answers.shift()!)
    const first = l.load()
    const second = l.search()
    fast.resolve(pageOf(['new']))
    await second
    expect(l.loading.value).toBe(false)
    slow.resolve(pageOf(['old']))
    await first
    expect(l.rows.value).toEqual(['new'])
  })

  it('treats a missing body as an empty page', async () => {
    const l = usePagedList(() => Promise.resolve(undefined as unknown as Page<number>))
    await l.load()
    expect(l.rows.value).toEqual([])
    expect(l.total.value).toBe(0)
  })
})
