import { ref } from 'vue'
import { itemsOf } from '../api'
import type { HistoryEntry, Page } from '../api/types'
import { notifyError } from './notify'

type HistoryResult = HistoryEntry[] | Page<HistoryEntry> | null | undefined

// The change history of one record, as the detail pages show it in a HistoryTable:
// `loaded` turns true after the first successful fetch, errors are reported and leave the list as it was.
export function useHistory(fetch: () => Promise<HistoryResult>, onError: (e: unknown) => void = notifyError) {
  const history = ref<HistoryEntry[]>([])
  const historyLoading = ref(false)
  const historyLoaded = ref(false)

  async function loadHistory() {
    historyLoading.value = true
    try {
      history.value = itemsOf(await fetch())
      historyLoaded.value = true
    } catch (e) {
      onError(e)
    } finally {
      historyLoading.value = false
    }
  }

  return { history, historyLoading, historyLoaded, loadHistory }
}
