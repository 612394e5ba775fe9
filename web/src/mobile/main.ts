// The members' phone pages (/m): an entry of their own (m/index.html), so that
// a member on a phone downloads Vue, the router and these pages, and none of
// the staff app's Element Plus.
import { createApp } from 'vue'
import { RouterView } from 'vue-router'
import { setUnauthorizedHandler } from '../api/client'
import { router } from './router'
import { setMe } from './session'
import './mobile.css'

const app = createApp(RouterView)
app.use(router)

// Any 401 from the API (an expired or idle session) leads to the phone login.
setUnauthorizedHandler(() => {
  setMe(null)
  const current = router.currentRoute.value
  if (!current.meta.public) {
    router.replace({ path: '/m/login', query: { redirect: current.fullPath, expired: '1' } })
  }
})

app.mount('#app')
