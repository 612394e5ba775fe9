import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { sessionApi, metaApi } from '../api'
import type { Me, Meta } from '../api/types'
import { ApiError } from '../api/client'
import { menuFor } from '../lib/menu'
import { applyRegistry } from '../lib/refdata'

export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const meta = ref<Meta | null>(null)
  const loaded = ref(false)

  const permissions = computed(() => new Set(me.value?.permissions ?? []))
  const menu = computed(() => menuFor(me.value?.permissions))

  function can(p: string): boolean {
    return permissions.value.has(p)
  }

  /** Loads the current user once; resolves to null when not logged in. */
  async function load(force = false): Promise<Me | null> {
    if (loaded.value && !force) return me.value
    try {
      me.value = await sessionApi.me()
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) me.value = null
      else throw e
    }
    loaded.value = true
    return me.value
  }

  async function loadMeta(): Promise<Meta | null> {
    if (meta.value) return meta.value
    try {
      meta.value = await metaApi.meta()
      // the registry's code lists: the server's, else the copies in lib/refdata.ts
      applyRegistry(meta.value?.registry)
    } catch {
      meta.value = null
    }
    return meta.value
  }

  function setMe(m: Me | null) {
    me.value = m
    loaded.value = true
  }

  function clear() {
    me.value = null
    loaded.value = true
  }

  function typeName(code: string | null | undefined): string {
    if (!code) return ''
    return meta.value?.party_org_types.find((t) => t.code === code)?.name ?? code
  }

  return { me, meta, loaded, menu, can, load, loadMeta, setMe, clear, typeName }
})
