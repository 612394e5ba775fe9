import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './style.css'
import './styles/pages.css'
import App from './App.vue'
import { router } from './router'
import { setUnauthorizedHandler } from './api/client'
import { useSession } from './stores/session'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)

// Any 401 from the API (an expired or idle session) leads to the login page.
setUnauthorizedHandler(() => {
  const session = useSession(pinia)
  session.clear()
  const current = router.currentRoute.value
  if (current.path !== '/login') {
    router.replace({ path: '/login', query: { redirect: current.fullPath, expired: '1' } })
  }
})

app.mount('#app')
