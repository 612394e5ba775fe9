import { describe, expect, it, vi } from 'vitest'
import { useHistory } from './useHistory'
import type { HistoryEntry } from '../api/types'

const entry = { id: 1 } as unknown as HistoryEntry

describe('useHistory', () => {
  it('loads entries from a page and marks the list loaded', async () => {
    const h = useHistory(() => Promise.resolve({ items: [entry], total: 1, page: 1, page_size: 20 }), vi.fn())
    const p = h.loadHistory()
    expect(h.historyLoading.value).toBe(true)
    await p
    expect(h.history.value).toEqual([entry])
    expect(h.historyLoaded.value).toBe(true)
    expect(h.historyLoading.value).toBe(false)
  })

  it('accepts a plain array and treats null as empty', async () => {
    const h = useHistory(() => Promise.resolve([entry]), vi.fn())
    await h.loadHistory()
    expect(h.history.value).toEqual([entry])
    const n = useHistory(() => Promise.resolve(null), vi.fn())
    await n.loadHistory()
    expect(n.history.value).toEqual([])
    expect(n.historyLoaded.value).toBe(true)
  })

  it('reports an error and stays not loaded', async () => {
    const onError = vi.fn()
    const err = new Error('boom')
    const h = useHistory(() => Promise.reject(err), onError)
    await h.loadHistory()
    expect(onError).toHaveBeenCalledWith(err)
    expect(h.historyLoaded.value).toBe(false)
    expect(h.historyLoading.value).toBe(false)
    expect(h.history.value).toEqual([])
  })
})
