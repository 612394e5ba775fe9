import { ref } from 'vue'
import { notifyError, notifySuccess } from './notify'

/**
 * An export button's state: `run` downloads through `fetchFile` (which
 * resolves to the saved file's name, or '' when the user cancelled) and says
 * how it went; `busy` disables the button meanwhile, since a city-wide export
 * takes a while.
 */
export function useExport(fetchFile: () => Promise<string>) {
  const busy = ref(false)
  async function run(): Promise<void> {
    if (busy.value) return
    busy.value = true
    try {
      const name = await fetchFile()
      if (name) notifySuccess(`已导出：${name}`)
    } catch (e) {
      notifyError(e)
    } finally {
      busy.value = false
    }
  }
  return { busy, run }
}
