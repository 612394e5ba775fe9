// The phone pages' router (/m/…), a page of its own (m/index.html, main.ts).
// A path outside /m belongs to the staff app: it is loaded as a new page.
import { createRouter, createWebHistory } from 'vue-router'
import type { RouteRecordRaw } from 'vue-router'
import { isMember } from './lib'
import { loadMe } from './session'

const routes: RouteRecordRaw[] = [
  { path: '/m/login', component: () => import('./views/Login.vue'), meta: { title: '登录', public: true } },
  { path: '/m/activate', component: () => import('./views/Activate.vue'), meta: { title: '激活账号', public: true } },
  {
    path: '/m',
    component: () => import('./MobileLayout.vue'),
    meta: { member: true },
    children: [
      { path: '', component: () => import('./views/MobileHome.vue'), meta: { title: '党员之家' } },
      { path: 'code', component: () => import('./views/MyCode.vue'), meta: { title: '我的党员码' } },
      { path: 'scan', component: () => import('./views/Scan.vue'), meta: { title: '扫码签到' } },
      { path: 'nearby', component: () => import('./views/Nearby.vue'), meta: { title: '附近活动' } },
      { path: 'attendance', component: () => import('./views/MyAttendance.vue'), meta: { title: '我的参学记录' } },
      { path: 'org', component: () => import('./views/MyOrg.vue'), meta: { title: '我的党组织' } },
      { path: ':rest(.*)*', redirect: '/m' },
    ],
  },
  // never shown: the guard loads such a path as a staff page
  { path: '/:rest(.*)*', component: { render: () => null } },
]

/** Whether a path is one of the phone pages. */
export function isPhonePath(path: string): boolean {
  return path === '/m' || path.startsWith('/m/')
}

export const router = createRouter({ history: createWebHistory('/'), routes })

router.beforeEach(async (to) => {
  if (!isPhonePath(to.path)) {
    window.location.assign(to.fullPath)
    return false
  }
  if (to.meta.public) return true
  let me = null
  try {
    me = await loadMe()
  } catch {
    me = null
  }
  if (!me) return { path: '/m/login', query: to.fullPath !== '/m' ? { redirect: to.fullPath } : {} }
  // staff have none of the phone pages: the staff app
  if (to.meta.member && !isMember(me)) {
    window.location.replace('/')
    return false
  }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 两新党建` : '两新党建 · 党员之家'
})
