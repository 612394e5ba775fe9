import { onBeforeUnmount, ref } from 'vue'

/** True while the viewport is phone-sized. */
export function useNarrow(query = '(max-width: 768px)') {
  const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null
  const narrow = ref(mq ? mq.matches : false)
  const onChange = (e: MediaQueryListEvent) => {
    narrow.value = e.matches
  }
  mq?.addEventListener('change', onChange)
  onBeforeUnmount(() => mq?.removeEventListener('change', onChange))
  return narrow
}
