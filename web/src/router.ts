import { createRouter, createWebHistory } from 'vue-router'
import type { RouteRecordRaw } from 'vue-router'
import { useSession } from './stores/session'
import { memberOnly } from './mobile/lib'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    permission?: string
    public?: boolean
    /** the members' phone pages (/m, mobile/router.ts): only for a member's own account */
    member?: boolean
  }
}

const ResultView = () => import('./views/ResultView.vue')

// The members' phone pages (/m, 手机端) are a page of their own with their own
// router (mobile/main.ts, mobile/router.ts), so that they load no Element Plus.

const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./views/LoginView.vue'), meta: { title: '登录', public: true } },
  // 组织生活: the A4 poster prints without the main layout
  {
    path: '/activities/:id(\\d+)/poster',
    component: () => import('./views/ActivityPosterView.vue'),
    meta: { title: '签到海报', permission: 'activity.read' },
  },
  {
    path: '/',
    component: () => import('./layouts/MainLayout.vue'),
    children: [
      { path: '', component: () => import('./views/HomeView.vue'), meta: { title: '首页' } },
      {
        path: 'party-orgs/:id(\\d+)?',
        component: () => import('./views/PartyOrgsView.vue'),
        meta: { title: '党组织', permission: 'party_org.read' },
      },
      { path: 'filings', component: () => import('./views/FilingsView.vue'), meta: { title: '备案审批', permission: 'party_org.read' } },
      { path: 'regions', component: () => import('./views/RegionsView.vue'), meta: { title: '镇街社区', permission: 'region.write' } },
      { path: 'members', component: () => import('./views/MembersView.vue'), meta: { title: '党员', permission: 'member.read' } },
      {
        path: 'members/:id(\\d+)',
        component: () => import('./views/MemberDetailView.vue'),
        meta: { title: '党员详情', permission: 'member.read' },
      },
      {
        path: 'organizations',
        component: () => import('./views/OrganizationsView.vue'),
        meta: { title: '两新组织', permission: 'organization.read' },
      },
      {
        path: 'organizations/:id(\\d+)',
        component: () => import('./views/OrganizationDetailView.vue'),
        meta: { title: '两新组织详情', permission: 'organization.read' },
      },
      { path: 'coverage', component: () => import('./views/CoverageView.vue'), meta: { title: '两个覆盖', permission: 'organization.read' } },
      { path: 'org-flags', component: () => import('./views/OrgFlagsView.vue'), meta: { title: '党建情况统计', permission: 'organization.read' } },
      { path: 'chains', component: () => import('./views/ChainsView.vue'), meta: { title: '重点产业链', permission: 'organization.read' } },
      // 组织生活, 三会一课台账, 每月主题
      { path: 'activities', component: () => import('./views/ActivitiesView.vue'), meta: { title: '组织生活', permission: 'activity.read' } },
      {
        path: 'activities/:id(\\d+)',
        component: () => import('./views/ActivityDetailView.vue'),
        meta: { title: '活动详情', permission: 'activity.read' },
      },
      { path: 'compliance', component: () => import('./views/ComplianceView.vue'), meta: { title: '三会一课台账', permission: 'activity.read' } },
      { path: 'themes', component: () => import('./views/ThemesView.vue'), meta: { title: '每月主题', permission: 'activity.read' } },
      // 防瘫预警 and the to-do list (issue 5)
      { path: 'todo', component: () => import('./views/TodoView.vue'), meta: { title: '待办', permission: 'alert.read' } },
      { path: 'alerts', component: () => import('./views/AlertsView.vue'), meta: { title: '预警列表', permission: 'alert.read' } },
      {
        path: 'alerts/dashboard',
        component: () => import('./views/AlertDashboardView.vue'),
        meta: { title: '预警看板', permission: 'alert.read' },
      },
      { path: 'alerts/rules', component: () => import('./views/RulesView.vue'), meta: { title: '预警规则', permission: 'alert.rules' } },
      { path: 'zones', component: () => import('./views/ZonesView.vue'), meta: { title: '园区楼宇', permission: 'party_org.read' } },
      { path: 'imports', component: () => import('./views/ImportsView.vue'), meta: { title: '数据导入', permission: 'organization.write' } },
      { path: 'users', component: () => import('./views/UsersView.vue'), meta: { title: '用户管理', permission: 'user.read' } },
      {
        path: 'settings/security',
        component: () => import('./views/SecurityView.vue'),
        meta: { title: '安全设置', permission: 'security.settings' },
      },
      { path: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: '审计日志', permission: 'audit.read' } },
      {
        path: 'forbidden',
        component: ResultView,
        props: { icon: 'warning', title: '无权访问', subTitle: '您没有访问此页面的权限' },
        meta: { title: '无权访问' },
      },
      {
        path: ':rest(.*)*',
        component: ResultView,
        props: { icon: 'info', title: '页面不存在', subTitle: '您访问的页面不存在' },
        meta: { title: '页面不存在' },
      },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
})

router.beforeEach(async (to) => {
  const session = useSession()
  if (to.meta.public) return true
  let me = session.me
  if (!session.loaded) {
    try {
      me = await session.load()
    } catch {
      me = null
    }
  }
  if (!me) {
    return { path: '/login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  // a member's own account has only the phone pages, another page of the server
  if (memberOnly(me)) {
    window.location.replace('/m')
    return false
  }
  if (to.meta.permission && !session.can(to.meta.permission)) {
    return { path: '/forbidden' }
  }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 两新党建工作平台` : '两新党建工作平台'
})
