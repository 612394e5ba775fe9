import { ref } from 'vue'
import type { Ref } from 'vue'
import type { Page } from '../api/types'
import { notifyError } from './notify'

export interface PagedListOptions {
  pageSize?: number
  /** What to do with a failed load (default: show the error's message). */
  onError?: (e: unknown) => void
}

/**
 * A server-paged list (a table and its pager): `fetchPage` gets the page and
 * page size and adds the filters. `search()` goes back to page 1 (a filter
 * or the page size changed); `load()` keeps the page. An answer that comes
 * after a newer request's is dropped.
 */
export function usePagedList<T>(
  fetchPage: (paging: { page: number; page_size: number }) => Promise<Page<T>>,
  opts: PagedListOptions = {},
) {
  const rows = ref([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(opts.pageSize ?? 20)
  const loading = ref(false)
  let latest = 0

  async function load(): Promise<void> {
    const mine = ++latest
    loading.value = true
    try {
      const res = await fetchPage({ page: page.value, page_size: pageSize.value })
      if (mine !== latest) return
      rows.value = res?.items ?? []
      total.value = res?.total ?? 0
    } catch (e) {
      if (mine === latest) (opts.onError ?? notifyError)(e)
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  function search(): Promise<void> {
    page.value = 1
    return load()
  }

  return { rows, total, page, pageSize, loading, load, search }
}
