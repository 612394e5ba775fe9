package api

import (
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/domain/chain"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/domain/partygroup"
	"github.com/lianxin/lianxin/internal/services/todo"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/filings"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/orgflags"
	"github.com/lianxin/lianxin/internal/store/orglife"
	"github.com/lianxin/lianxin/internal/store/partygroups"
	"github.com/lianxin/lianxin/internal/store/registry"
)

var (
	pagingParams = []param{{"page", "integer", "页码，从1开始"}, {"page_size", "integer", "每页条数，最大200"}}
	idParam      = "{id}"
)

func withPaging(ps ...param) []param { return append(ps, pagingParams...) }

// routeTable is the single list of API routes.
func (s *Server) routeTable() []route {
	const v1 = "/api/v1"
	return []route{
		{Method: "POST", Pattern: v1 + "/session", Public: true, Summary: "登录（账号已启用双因素认证时只答 second_factor_required，再以 POST /session/totp 完成）", Body: loginRequest{}, Resp: LoginAnswer{}, handler: s.login},
		{Method: "DELETE", Pattern: v1 + "/session", Summary: "退出登录", handler: s.logout},
		{Method: "GET", Pattern: v1 + "/me", Summary: "当前用户", Resp: Me{}, handler: s.me},
		{Method: "PUT", Pattern: v1 + "/me/password", Summary: "修改本人密码", Body: passwordChange{}, handler: s.changePassword},
		// The second login factor (动态口令, RFC 6238): the login's second step, enrolment, the reset, the roles that require it.
		{Method: "POST", Pattern: v1 + "/session/totp", Public: true, Summary: "登录第二步：输入动态口令或一个恢复码（密码正确且账号已启用双因素认证时）", Body: secondFactorRequest{}, Resp: Me{}, handler: s.completeLogin},
		{Method: "GET", Pattern: v1 + "/me/totp", Summary: "本人双因素认证状态", Resp: auth.TOTPStatus{}, handler: s.totpStatus},
		{Method: "POST", Pattern: v1 + "/me/totp", Summary: "开始绑定动态口令：返回密钥、otpauth URI 与二维码（输入第一个口令确认后才生效）", Resp: auth.Enrolment{}, handler: s.beginTOTP},
		{Method: "POST", Pattern: v1 + "/me/totp/confirm", Summary: "确认绑定：输入手机上的动态口令，启用双因素认证并返回恢复码（只显示这一次）", Body: totpCode{}, Resp: recoveryCodes{}, Status: 200, handler: s.confirmTOTP},
		{Method: "POST", Pattern: v1 + "/me/totp/recovery-codes", Summary: "重新生成恢复码（须输入当前动态口令；旧恢复码作废）", Body: totpCode{}, Resp: recoveryCodes{}, Status: 200, handler: s.renewRecoveryCodes},
		{Method: "DELETE", Pattern: v1 + "/me/totp", Summary: "停用本人双因素认证（须输入当前动态口令；角色要求启用时不可停用）", Body: totpCode{}, handler: s.disableTOTP},
		{Method: "DELETE", Pattern: v1 + "/users/" + idParam + "/totp", Perm: auth.PermSecuritySettings, Summary: "重置账号的双因素认证（安全管理员；三员账号只能在服务器上用命令行重置；记入审计日志）", handler: s.resetTOTP},
		{Method: "GET", Pattern: v1 + "/settings/second-factor", Perm: auth.PermSecuritySettings, Summary: "须启用双因素认证的角色", Resp: account.SecondFactorSettings{}, handler: s.getSecondFactorSettings},
		{Method: "PUT", Pattern: v1 + "/settings/second-factor", Perm: auth.PermSecuritySettings, Summary: "修改须启用双因素认证的角色（安全管理员）", Body: account.SecondFactorSettings{}, Resp: account.SecondFactorSettings{}, handler: s.putSecondFactorSettings},
		{Method: "GET", Pattern: v1 + "/meta", Summary: "参考数据（党组织类型、角色等）", Resp: Meta{}, handler: s.meta},
		{Method: "GET", Pattern: v1 + "/dashboard", Perm: auth.PermDashboard, Summary: "首页统计（数据范围内）", Resp: Dashboard{}, handler: s.dashboard},

		{Method: "GET", Pattern: v1 + "/regions", Summary: "行政区划与功能区", Resp: []domain.Region{},
			Query: []param{{"parent_code", "string", "上级区划代码"}, {"level", "string", "层级"}, {"q", "string", "名称包含"}}, handler: s.listRegions},
		// 镇街、社区 maintained by staff (issue 13).
		{Method: "GET", Pattern: v1 + "/regions/{code}", Summary: "一个区划（镇街、社区）", Resp: domain.Region{}, handler: s.getRegion},
		{Method: "POST", Pattern: v1 + "/regions", Perm: auth.PermRegionWrite, Summary: "新增镇(街道)或社区(村)（统计用区划代码，须在本区(市)县内）", Body: domain.RegionInput{}, Resp: domain.Region{}, handler: s.createRegion},
		{Method: "PATCH", Pattern: v1 + "/regions/{code}", Perm: auth.PermRegionWrite, Summary: "修改镇(街道)或社区(村)的名称、排序（托管功能区由市级设置）", Body: domain.RegionInput{}, Resp: domain.Region{}, handler: s.updateRegion},
		{Method: "GET", Pattern: v1 + "/regions/{code}/history", Perm: auth.PermPartyOrgRead, Summary: "镇街、社区的变更历史", Resp: []store.HistoryEntry{}, handler: s.regionHistory},
		{Method: "GET", Pattern: v1 + "/regions.xlsx", Perm: auth.PermPartyOrgRead, Summary: "导出本区(市)县的镇街、社区（与导入模板同格式）", Query: []param{{"region", "string", "只导出该区(市)县或功能区"}}, File: true, handler: s.exportRegions},
		{Method: "GET", Pattern: v1 + "/zones", Perm: auth.PermPartyOrgRead, Summary: "园区、楼宇、市场等（数据范围内）", Resp: registry.ZoneView{}, List: true,
			Query: withPaging(param{"q", "string", "名称包含"}), handler: s.listZones},
		{Method: "GET", Pattern: v1 + "/zones/" + idParam, Perm: auth.PermPartyOrgRead, Summary: "一个园区/楼宇/市场", Resp: domain.Zone{}, handler: s.getZone},
		{Method: "POST", Pattern: v1 + "/zones", Perm: auth.PermPartyOrgWrite, Summary: "新建园区/楼宇/市场", Body: registry.ZoneInput{}, Resp: domain.Zone{}, handler: s.createZone},
		{Method: "PATCH", Pattern: v1 + "/zones/" + idParam, Perm: auth.PermPartyOrgWrite, Summary: "修改园区/楼宇/市场", Body: registry.ZoneInput{}, Resp: domain.Zone{}, handler: s.updateZone},

		{Method: "GET", Pattern: v1 + "/party-orgs", Perm: auth.PermPartyOrgRead, Summary: "党组织列表（数据范围内）", Resp: registry.PartyOrgView{}, List: true,
			Query: withPaging(param{"parent_id", "integer", "直接上级"}, param{"under", "integer", "该党组织的整棵子树"}, param{"q", "string", "名称包含"},
				param{"type", "string", "党组织类型"}, param{"region", "string", "区划代码（含下级街道）"}, param{"status", "string", "active（默认）、dissolved、all"},
				param{"sort", "string", "path、name、founded_on、term_end，前缀 - 为倒序"}), handler: s.listPartyOrgs},
		{Method: "GET", Pattern: v1 + "/org-tree", Perm: auth.PermPartyOrgTree, Summary: "党组织树的结构（名称、类型、上级、路径，不含书记、届期、备案等业务数据），用于选择账号的数据范围；无参数时返回数据范围的根",
			Resp: registry.OrgNode{}, List: true, Query: withPaging(param{"parent_id", "integer", "直接上级"}, param{"under", "integer", "该党组织的整棵子树"}, param{"q", "string", "名称包含"},
				param{"status", "string", "active（默认）、dissolved、all"}), handler: s.orgTree},
		{Method: "GET", Pattern: v1 + "/party-orgs/" + idParam, Perm: auth.PermPartyOrgRead, Summary: "一个党组织", Resp: registry.PartyOrgView{}, handler: s.getPartyOrg},
		{Method: "GET", Pattern: v1 + "/party-orgs/" + idParam + "/ancestors", Perm: auth.PermPartyOrgRead, Summary: "从数据范围根到该党组织的路径", Resp: []registry.PartyOrgView{}, handler: s.partyOrgAncestors},
		{Method: "GET", Pattern: v1 + "/party-orgs/" + idParam + "/history", Perm: auth.PermPartyOrgRead, Summary: "党组织变更历史", Resp: []store.HistoryEntry{}, handler: s.partyOrgHistory},
		{Method: "POST", Pattern: v1 + "/party-orgs", Perm: auth.PermPartyOrgWrite, Summary: "新建党组织", Body: partyOrgCreate{}, Resp: registry.PartyOrgView{}, handler: s.createPartyOrg},
		{Method: "PATCH", Pattern: v1 + "/party-orgs/" + idParam, Perm: auth.PermPartyOrgWrite, Summary: "修改党组织", Body: domain.PartyOrgInput{}, Resp: registry.PartyOrgView{}, handler: s.updatePartyOrg},
		{Method: "POST", Pattern: v1 + "/party-orgs/" + idParam + "/move", Perm: auth.PermPartyOrgWrite, Summary: "调整上级党组织", Body: moveRequest{}, Resp: registry.PartyOrgView{}, handler: s.movePartyOrg},
		{Method: "POST", Pattern: v1 + "/party-orgs/" + idParam + "/dissolve", Perm: auth.PermPartyOrgWrite, Summary: "撤销党组织", Body: domain.DissolveInput{}, Resp: registry.PartyOrgView{}, handler: s.dissolvePartyOrg},
		{Method: "GET", Pattern: v1 + "/party-orgs.xlsx", Perm: auth.PermPartyOrgRead, Summary: "导出数据范围内未撤销的党组织（与导入模板同格式，上级在前；记入审计日志）",
			Query: []param{{"region", "string", "区划代码（含下级）"}, {"type", "string", "党组织类型"}}, File: true, handler: s.exportPartyOrgs},
		// 党小组 of a branch (issue 13).
		{Method: "GET", Pattern: v1 + "/party-orgs/" + idParam + "/groups", Perm: auth.PermPartyOrgRead, Summary: "党支部的党小组", Resp: []partygroups.PartyGroupView{}, handler: s.listPartyGroups},
		{Method: "GET", Pattern: v1 + "/party-orgs/" + idParam + "/group-members", Perm: auth.PermPartyOrgRead, Summary: "党支部在册党员及其所在党小组", Resp: []partygroups.PartyGroupMember{}, handler: s.partyGroupMembers},
		{Method: "POST", Pattern: v1 + "/party-orgs/" + idParam + "/groups", Perm: auth.PermPartyOrgWrite, Summary: "设立党小组（只限党支部；组长须是本支部党员）", Body: partygroup.PartyGroupInput{}, Resp: partygroup.PartyGroup{}, handler: s.createPartyGroup},
		{Method: "PATCH", Pattern: v1 + "/party-groups/" + idParam, Perm: auth.PermPartyOrgWrite, Summary: "修改党小组名称、组长、成立日期", Body: partygroup.PartyGroupInput{}, Resp: partygroup.PartyGroup{}, handler: s.updatePartyGroup},
		{Method: "POST", Pattern: v1 + "/party-groups/" + idParam + "/dissolve", Perm: auth.PermPartyOrgWrite, Summary: "撤销党小组（成员不再属于任何党小组）", Body: partygroup.PartyGroupDissolution{}, Resp: partygroup.PartyGroup{}, handler: s.dissolvePartyGroup},
		{Method: "PUT", Pattern: v1 + "/party-groups/" + idParam + "/members", Perm: auth.PermPartyOrgWrite, Summary: "设置党小组的成员（本支部在册党员；每人只在一个党小组）", Body: partygroup.PartyGroupMembers{}, Resp: []partygroups.PartyGroupMember{}, handler: s.setPartyGroupMembers},

		// 书记就任/离任备案 and 换届 (issue 5): filed by the org, decided by its superior.
		{Method: "GET", Pattern: v1 + "/secretary-filings", Perm: auth.PermPartyOrgRead, Summary: "书记就任/离任备案列表（数据范围内）", Resp: filings.SecretaryFiling{}, List: true,
			Query: withPaging(requestQuery("appointment（就任）、departure（离任）")...), handler: s.listSecretaryFilings},
		{Method: "POST", Pattern: v1 + "/secretary-filings", Perm: auth.PermPartyOrgWrite, Summary: "提交书记就任或离任备案（报上级党组织审批）", Body: filing.SecretaryFilingInput{}, Resp: filings.SecretaryFiling{}, Status: 201, handler: s.createSecretaryFiling},
		{Method: "GET", Pattern: v1 + "/secretary-filings/" + idParam, Perm: auth.PermPartyOrgRead, Summary: "一份书记备案", Resp: filings.SecretaryFiling{}, handler: s.getSecretaryFiling},
		{Method: "PATCH", Pattern: v1 + "/secretary-filings/" + idParam, Perm: auth.PermPartyOrgWrite, Summary: "修改被退回（或待审批）的备案并重新提交", Body: filing.SecretaryFilingInput{}, Resp: filings.SecretaryFiling{}, handler: s.resubmitSecretaryFiling},
		{Method: "POST", Pattern: v1 + "/secretary-filings/" + idParam + "/approve", Perm: auth.PermPartyOrgWrite, Summary: "批准备案（仅上级党组织或更上级；批准后书记随之变更）", Body: filing.DecisionInput{}, Resp: filings.SecretaryFiling{}, handler: s.approveSecretaryFiling},
		{Method: "POST", Pattern: v1 + "/secretary-filings/" + idParam + "/return", Perm: auth.PermPartyOrgWrite, Summary: "退回备案（须填写退回原因）", Body: filing.DecisionInput{}, Resp: filings.SecretaryFiling{}, handler: s.returnSecretaryFiling},
		{Method: "POST", Pattern: v1 + "/secretary-filings/" + idParam + "/withdraw", Perm: auth.PermPartyOrgWrite, Summary: "撤回待审批或被退回的备案", Resp: filings.SecretaryFiling{}, handler: s.withdrawSecretaryFiling},
		{Method: "GET", Pattern: v1 + "/party-orgs/" + idParam + "/terms", Perm: auth.PermPartyOrgRead, Summary: "换届：本届任期（含批准的延期）、历届任期、选举、延期或提前换届申请", Resp: filings.OrgTerms{}, handler: s.orgTerms},
		{Method: "POST", Pattern: v1 + "/party-orgs/" + idParam + "/terms", Perm: auth.PermPartyOrgWrite, Summary: "登记本届任期（开始日期与年限或届满日期）", Body: domain.TermInput{}, Resp: filings.OrgTerms{}, handler: s.recordTerm},
		{Method: "POST", Pattern: v1 + "/party-orgs/" + idParam + "/elections", Perm: auth.PermPartyOrgWrite, Summary: "登记换届选举（开始新一届任期；选出新书记时生成就任备案）", Body: domain.ElectionInput{}, Resp: filings.Election{}, Status: 201, handler: s.recordElection},
		{Method: "GET", Pattern: v1 + "/term-changes", Perm: auth.PermPartyOrgRead, Summary: "延期或提前换届申请列表（数据范围内）", Resp: filings.TermChange{}, List: true,
			Query: withPaging(requestQuery("postpone（延期）、advance（提前）")...), handler: s.listTermChanges},
		{Method: "POST", Pattern: v1 + "/term-changes", Perm: auth.PermPartyOrgWrite, Summary: "申请延期或提前换届（一般不超过1年，超过须 confirm_over_limit）", Body: domain.TermChangeInput{}, Resp: filings.TermChange{}, Status: 201, handler: s.createTermChange},
		{Method: "GET", Pattern: v1 + "/term-changes/" + idParam, Perm: auth.PermPartyOrgRead, Summary: "一份延期或提前换届申请", Resp: filings.TermChange{}, handler: s.getTermChange},
		{Method: "POST", Pattern: v1 + "/term-changes/" + idParam + "/approve", Perm: auth.PermPartyOrgWrite, Summary: "批准申请（仅上级党组织或更上级；延期即改换届期限）", Body: filing.DecisionInput{}, Resp: filings.TermChange{}, handler: s.approveTermChange},
		{Method: "POST", Pattern: v1 + "/term-changes/" + idParam + "/return", Perm: auth.PermPartyOrgWrite, Summary: "退回申请（须填写退回原因）", Body: filing.DecisionInput{}, Resp: filings.TermChange{}, handler: s.returnTermChange},
		{Method: "POST", Pattern: v1 + "/term-changes/" + idParam + "/withdraw", Perm: auth.PermPartyOrgWrite, Summary: "撤回待审批或被退回的申请", Resp: filings.TermChange{}, handler: s.withdrawTermChange},

		{Method: "GET", Pattern: v1 + "/organizations", Perm: auth.PermOrgRead, Summary: "两新组织列表（属地或行业管理在数据范围内）", Resp: registry.OrganizationView{}, List: true,
			Query: withPaging(orgListQuery...), handler: s.listOrganizations},
		{Method: "GET", Pattern: v1 + "/organizations.xlsx", Perm: auth.PermOrgRead, Summary: "按列表筛选条件导出两新组织（与导入模板同格式，可改后再导入；记入审计日志）", Query: orgListQuery, File: true, handler: s.exportOrganizations},
		{Method: "GET", Pattern: v1 + "/organizations/" + idParam, Perm: auth.PermOrgRead, Summary: "一个两新组织", Resp: registry.OrganizationView{}, handler: s.getOrganization},
		{Method: "GET", Pattern: v1 + "/organizations/" + idParam + "/history", Perm: auth.PermOrgRead, Summary: "两新组织变更历史", Resp: []store.HistoryEntry{}, handler: s.organizationHistory},
		{Method: "GET", Pattern: v1 + "/organizations/" + idParam + "/coverage", Perm: auth.PermOrgRead, Summary: "两个覆盖：组织覆盖、工作覆盖或未覆盖（按今天计算）", Resp: coverage.OrganizationCoverage{}, handler: s.organizationCoverage},
		{Method: "POST", Pattern: v1 + "/organizations", Perm: auth.PermOrgWrite, Summary: "登记两新组织", Body: domain.OrganizationInput{}, Resp: registry.OrganizationView{}, handler: s.saveOrganization},
		{Method: "PATCH", Pattern: v1 + "/organizations/" + idParam, Perm: auth.PermOrgWrite, Summary: "修改两新组织", Body: domain.OrganizationInput{}, Resp: registry.OrganizationView{}, handler: s.saveOrganization},

		{Method: "POST", Pattern: v1 + "/organizations/" + idParam + "/covers", Perm: auth.PermOrgWrite, Summary: "增加覆盖该组织的基层党组织", Body: registry.CoverInput{}, Resp: coverage.OrganizationCoverage{}, handler: s.addCover},
		{Method: "DELETE", Pattern: v1 + "/organizations/" + idParam + "/covers", Perm: auth.PermOrgWrite, Summary: "解除党组织对该组织的覆盖", Resp: coverage.OrganizationCoverage{},
			Query: []param{{"party_org_id", "integer", "党组织"}}, handler: s.removeCover},
		{Method: "POST", Pattern: v1 + "/organizations/" + idParam + "/assignments", Perm: auth.PermOrgWrite, Summary: "派驻党建指导员或联络员", Body: registry.AssignmentInput{}, Resp: registry.Assignment{}, handler: s.createAssignment},
		{Method: "PATCH", Pattern: v1 + "/assignments/" + idParam, Perm: auth.PermOrgWrite, Summary: "修改或结束派驻（填写 to）", Body: registry.AssignmentInput{}, Resp: registry.Assignment{}, handler: s.updateAssignment},
		{Method: "GET", Pattern: v1 + "/coverage", Perm: auth.PermOrgRead, Summary: "两个覆盖总体情况（数据范围内；覆盖数只计目标范围内的组织）", Resp: coverage.CoverageSummary{}, Query: coverageParams, handler: s.coverageSummary},
		{Method: "GET", Pattern: v1 + "/coverage/breakdown", Perm: auth.PermOrgRead, Summary: "两个覆盖分项统计：按区域、园区、行业或产业链", Resp: []coverage.BreakdownRow{},
			Query: append([]param{{"by", "string", "region、zone、industry、chain"}}, coverageParams...), handler: s.coverageBreakdown},
		{Method: "GET", Pattern: v1 + "/coverage/uncovered", Perm: auth.PermOrgRead, Summary: "目标范围内未覆盖的组织（未覆盖时间长的在前）", Resp: coverage.UncoveredOrganization{}, List: true,
			Query: withPaging(append([]param{{"q", "string", "名称包含，或统一社会信用代码"}}, coverageParams...)...), handler: s.listUncovered},
		{Method: "GET", Pattern: v1 + "/coverage/uncovered.xlsx", Perm: auth.PermOrgRead, Summary: "导出未覆盖组织清单（Excel，记入审计日志）",
			Query: append([]param{{"q", "string", "名称包含，或统一社会信用代码"}}, coverageParams...), File: true, handler: s.exportUncovered},
		{Method: "GET", Pattern: v1 + "/coverage/trend", Perm: auth.PermOrgRead, Summary: "动态清零趋势（每日快照）", Resp: coverage.CoverageTrend{},
			Query: []param{{"region", "string", "区(市)县或功能区代码；空为数据范围"}, {"days", "integer", "天数，默认180（1–730）"}}, handler: s.coverageTrend},

		// 重点产业链 and the Party-building flags counted (issue 13).
		{Method: "GET", Pattern: v1 + "/industry-chains", Perm: auth.PermOrgRead, Summary: "重点产业链：行业党委、链主企业与链上组织数（链主与组织数限数据范围内）", Resp: []registry.IndustryChainView{},
			Query: []param{{"retired", "boolean", "含已停用的产业链"}}, handler: s.listChains},
		{Method: "GET", Pattern: v1 + "/industry-chains/" + idParam, Perm: auth.PermOrgRead, Summary: "一条重点产业链", Resp: registry.IndustryChainView{}, handler: s.getChain},
		{Method: "POST", Pattern: v1 + "/industry-chains", Perm: auth.PermChainSettings, Summary: "新增重点产业链（市级）", Body: chain.ChainInput{}, Resp: registry.IndustryChainView{}, handler: s.saveChain},
		{Method: "PATCH", Pattern: v1 + "/industry-chains/" + idParam, Perm: auth.PermChainSettings, Summary: "修改重点产业链：名称、排序、行业党委、停用（市级）", Body: chain.ChainInput{}, Resp: registry.IndustryChainView{}, handler: s.saveChain},
		{Method: "PUT", Pattern: v1 + "/organizations/" + idParam + "/chain-master", Perm: auth.PermOrgWrite, Summary: "设为某条重点产业链的链主企业（组织随之归入该产业链；记入组织变更历史），返回该产业链", Body: chainMasterInput{}, Resp: registry.IndustryChainView{}, handler: s.setChainMaster},
		{Method: "DELETE", Pattern: v1 + "/organizations/" + idParam + "/chain-master", Perm: auth.PermOrgWrite, Summary: "取消链主企业（组织仍在原产业链上），返回该产业链", Resp: registry.IndustryChainView{}, handler: s.endChainMaster},
		{Method: "GET", Pattern: v1 + "/organizations/flag-counts", Perm: auth.PermOrgRead, Summary: "党建情况与组织标签统计：按区域、园区、行业或产业链（数据范围内，不含注销、吊销、迁出的组织）", Resp: orgflags.FlagCounts{},
			Query: append([]param{{"by", "string", "region、zone、industry、chain"}}, coverageParams...), handler: s.orgFlagCounts},

		{Method: "GET", Pattern: v1 + "/members", Perm: auth.PermMemberRead, Summary: "党员列表（数据范围内；身份证号、手机号脱敏）", Resp: members.MemberView{}, List: true,
			Query: withPaging(memberListQuery...), handler: s.listMembers},
		{Method: "GET", Pattern: v1 + "/members.xlsx", Perm: auth.PermMemberRead, Summary: "按列表筛选条件导出党员（身份证号、手机号默认脱敏；reveal=true 导出明文须“个人信息明文导出”角色；记入审计日志）", Query: append([]param{{"reveal", "boolean", "导出明文"}}, memberListQuery...), File: true, handler: s.exportMembers},
		{Method: "GET", Pattern: v1 + "/members/" + idParam, Perm: auth.PermMemberRead, Summary: "一名党员（脱敏）", Resp: members.MemberView{}, handler: s.getMember},
		{Method: "GET", Pattern: v1 + "/members/" + idParam + "/history", Perm: auth.PermMemberRead, Summary: "党员信息变更历史（脱敏）", Resp: []store.HistoryEntry{}, handler: s.memberHistory},
		{Method: "POST", Pattern: v1 + "/members/" + idParam + "/reveal", Perm: auth.PermPIIReveal, Summary: "查看身份证号、手机号明文（记入审计日志）", Resp: members.RevealedMember{}, handler: s.revealMember},
		{Method: "POST", Pattern: v1 + "/members", Perm: auth.PermMemberWrite, Summary: "登记党员", Body: domain.MemberInput{}, Resp: members.MemberView{}, handler: s.saveMember},
		{Method: "PATCH", Pattern: v1 + "/members/" + idParam, Perm: auth.PermMemberWrite, Summary: "修改党员信息", Body: domain.MemberInput{}, Resp: members.MemberView{}, handler: s.saveMember},

		{Method: "POST", Pattern: v1 + "/members/" + idParam + "/activation", Perm: auth.PermMemberWrite, Summary: "为党员生成账号激活码（只显示一次，7天内有效；记入审计日志）", Resp: accounts.Activation{}, handler: s.issueActivation},

		{Method: "GET", Pattern: v1 + "/activities", Perm: auth.PermActivityRead, Summary: "组织生活活动列表（主办或联办党组织在数据范围内）", Resp: orglife.ActivityView{}, List: true,
			Query: activityListQuery, handler: s.listActivities},
		{Method: "GET", Pattern: v1 + "/activities/calendar", Perm: auth.PermActivityRead, Summary: "活动日历：所给日期内每天的活动数与前几项（数据范围内）", Resp: []orglife.CalendarDay{},
			Query: activityCalendarQuery, handler: s.activityCalendar},
		{Method: "POST", Pattern: v1 + "/activities", Perm: auth.PermActivityWrite, Summary: "新建活动（计划，或补记已开展的活动）", Body: activity.ActivityInput{}, Resp: orglife.ActivityView{}, Status: 201, handler: s.createActivity},
		{Method: "GET", Pattern: v1 + "/activities/" + idParam, Perm: auth.PermActivityRead, Summary: "一个活动（含主办党组织、出勤统计、附件）", Resp: orglife.ActivityView{}, handler: s.getActivity},
		{Method: "PATCH", Pattern: v1 + "/activities/" + idParam, Perm: auth.PermActivityWrite, Summary: "修改活动，或标记为已开展（须填写会议记录）", Body: activityPatch{}, Resp: orglife.ActivityView{}, handler: s.updateActivity},
		{Method: "POST", Pattern: v1 + "/activities/" + idParam + "/cancel", Perm: auth.PermActivityWrite, Summary: "取消活动（须填写原因）", Body: activity.CancelInput{}, Resp: orglife.ActivityView{}, handler: s.cancelActivity},
		{Method: "GET", Pattern: v1 + "/activities/" + idParam + "/history", Perm: auth.PermActivityRead, Summary: "活动变更历史", Resp: []store.HistoryEntry{}, handler: s.activityHistory},
		{Method: "GET", Pattern: v1 + "/activities/" + idParam + "/checkin-code", Perm: auth.PermActivityRead, Summary: "活动签到码（服务器签名，限时有效）；format=png 返回同一签到码的二维码图片", Resp: checkin.ActivityCode{},
			Query: []param{{"format", "string", "json（默认）或 png"}, {"size", "integer", "二维码图片边长（像素，64–2400，默认400）"}}, handler: s.activityCheckinCode},
		{Method: "GET", Pattern: v1 + "/activities/" + idParam + "/attendance", Perm: auth.PermActivityRead, Summary: "出勤：应到名单、外单位党员（活动互认）、出席率、法定人数", Resp: orglife.ActivityAttendance{}, handler: s.activityAttendance},
		{Method: "PUT", Pattern: v1 + "/activities/" + idParam + "/attendance", Perm: auth.PermActivityWrite, Summary: "手工登记出勤（出席、请假须写事由、缺席）", Body: activity.AttendanceInput{}, Resp: orglife.RosterRow{}, handler: s.markAttendance},
		{Method: "POST", Pattern: v1 + "/activities/" + idParam + "/scan", Perm: auth.PermActivityWrite, Summary: "组织者扫描党员码（一码通）签到", Body: codeRequest{}, Resp: orglife.RosterRow{}, handler: s.scanMemberCode},
		{Method: "POST", Pattern: v1 + "/activities/" + idParam + "/attachments", Perm: auth.PermActivityWrite, Summary: "上传活动附件（JPG、PNG、PDF、DOCX、XLSX，不超过10 MB，每个活动最多20个）",
			Body: attachmentUpload{}, Form: true, Resp: orglife.Attachment{}, Status: 201, handler: s.uploadAttachment},
		{Method: "GET", Pattern: v1 + "/activities/" + idParam + "/attachments/{aid}", Perm: auth.PermActivityRead, Summary: "下载活动附件", Blob: true, handler: s.downloadAttachment},
		{Method: "DELETE", Pattern: v1 + "/activities/" + idParam + "/attachments/{aid}", Perm: auth.PermActivityWrite, Summary: "删除活动附件", handler: s.deleteAttachment},

		{Method: "GET", Pattern: v1 + "/monthly-themes", Perm: auth.PermActivityRead, Summary: "每月主题（一月一主题）", Resp: []activity.MonthlyTheme{}, Query: []param{{"year", "integer", "年份，默认今年"}}, handler: s.listThemes},
		{Method: "PUT", Pattern: v1 + "/monthly-themes/{month}", Perm: auth.PermActivitySettings, Summary: "设置某月主题（市级；month 为 YYYY-MM）", Body: themeInput{}, Resp: activity.MonthlyTheme{}, handler: s.setTheme},
		{Method: "GET", Pattern: v1 + "/settings/activities", Perm: auth.PermActivityRead, Summary: "组织生活设置：签到时间窗、三会一课频次", Resp: activity.ActivitySettings{}, handler: s.getActivitySettings},
		{Method: "PUT", Pattern: v1 + "/settings/activities", Perm: auth.PermActivitySettings, Summary: "修改组织生活设置（市级）", Body: activity.ActivitySettings{}, Resp: activity.ActivitySettings{}, handler: s.putActivitySettings},

		{Method: "GET", Pattern: v1 + "/compliance", Perm: auth.PermActivityRead, Summary: "一个党支部某年的三会一课台账", Resp: orglife.OrgCompliance{},
			Query: []param{{"party_org_id", "integer", "党支部"}, {"year", "integer", "年份，默认今年"}}, handler: s.compliance},
		{Method: "GET", Pattern: v1 + "/compliance.xlsx", Perm: auth.PermActivityRead, Summary: "导出一个党支部某年的三会一课台账（记入审计日志）",
			Query: []param{{"party_org_id", "integer", "党支部"}, {"year", "integer", "年份，默认今年"}}, File: true, handler: s.exportCompliance},
		{Method: "GET", Pattern: v1 + "/compliance/summary", Perm: auth.PermActivityRead, Summary: "三会一课完成率：按区（市）县或上级党组织汇总", Resp: orglife.ComplianceSummary{},
			Query: complianceQuery(param{"by", "string", "region（默认）或 committee"}), handler: s.complianceSummary},
		{Method: "GET", Pattern: v1 + "/compliance/orgs", Perm: auth.PermActivityRead, Summary: "各党支部三会一课完成情况（完成率低的在前）与缺项", Resp: orglife.ComplianceOrg{}, List: true,
			Query: withPaging(complianceQuery(param{"requirement", "string", "考核项目"}, param{"only_missing", "boolean", "只看有缺项的"})...), handler: s.complianceOrgs},

		{Method: "POST", Pattern: v1 + "/session/activate", Public: true, Summary: "党员首次登录：手机号或身份证号、激活码、设置密码", Body: activateRequest{}, Resp: Me{}, handler: s.activate},
		{Method: "POST", Pattern: v1 + "/checkins", Perm: auth.PermSelf, Summary: "党员扫活动码签到（重复签到返回同一条记录）", Body: codeRequest{}, Resp: orglife.MyAttendance{}, handler: s.checkin},
		{Method: "GET", Pattern: v1 + "/my/code", Perm: auth.PermSelf, Summary: "本人党员码（一码通，定时更新）；format=png 返回二维码图片", Resp: myCode{},
			Query: []param{{"format", "string", "json（默认）或 png"}, {"size", "integer", "二维码图片边长（像素）"}}, handler: s.myCode},
		{Method: "GET", Pattern: v1 + "/my/org", Perm: auth.PermSelf, Summary: "本人所在党组织与书记", Resp: orglife.MemberSelf{}, handler: s.myOrg},
		{Method: "GET", Pattern: v1 + "/my/attendance", Perm: auth.PermSelf, Summary: "本人参加组织生活记录（含活动互认）", Resp: orglife.MyAttendanceYear{},
			Query: []param{{"year", "integer", "年份，默认今年"}}, handler: s.myAttendance},
		{Method: "GET", Pattern: v1 + "/my/activities", Perm: auth.PermSelf, Summary: "本人所在党组织的活动与本月主题", Resp: myActivities{}, handler: s.myActivities},
		{Method: "GET", Pattern: v1 + "/my/nearby", Perm: auth.PermSelf, Summary: "附近的开放式活动（按距离）", Resp: nearbyAnswer{},
			Query: []param{{"lat", "number", "纬度"}, {"lng", "number", "经度"}, {"near", "string", "地址或区（市）县名称"}, {"radius_km", "number", "范围（公里，1–50，默认5）"}}, handler: s.myNearby},

		{Method: "GET", Pattern: v1 + "/templates/{file}", Perm: auth.PermOrgRead, Summary: "Excel 导入模板（regions.xlsx、party-orgs.xlsx、organizations.xlsx、members.xlsx）", File: true, handler: s.downloadTemplate},
		{Method: "POST", Pattern: v1 + "/imports", Perm: auth.PermOrgWrite, Summary: "上传 Excel 导入镇街社区、党组织、两新组织或党员（后台任务；镇街社区另需 region.write，党组织另需 party_org.write，党员另需 member.write）",
			Body: importUpload{}, Form: true, Resp: ImportStarted{}, Status: 202, handler: s.startImport},
		{Method: "GET", Pattern: v1 + "/imports", Perm: auth.PermOrgRead, Summary: "最近的导入任务（数据范围内）", Resp: importjobs.ImportJob{}, List: true, handler: s.listImports},
		{Method: "GET", Pattern: v1 + "/imports/" + idParam, Perm: auth.PermOrgRead, Summary: "导入任务：状态、进度、计数与错误", Resp: importjobs.ImportJob{}, handler: s.getImport},
		{Method: "GET", Pattern: v1 + "/imports/" + idParam + "/errors.xlsx", Perm: auth.PermOrgRead, Summary: "导入错误数据（原行与错误说明列）", File: true, handler: s.importErrorCopy},

		{Method: "GET", Pattern: v1 + "/users", Perm: auth.PermUserRead, Summary: "账号列表（数据范围内）", Resp: accounts.UserView{}, List: true,
			Query: withPaging(param{"q", "string", "用户名或姓名包含"}, param{"role", "string", "角色"}, param{"party_org_id", "integer", "所属党组织"}, param{"status", "string", "active、locked、disabled"}), handler: s.listUsers},
		{Method: "GET", Pattern: v1 + "/users/" + idParam, Perm: auth.PermUserRead, Summary: "一个账号", Resp: accounts.UserView{}, handler: s.getUser},
		{Method: "GET", Pattern: v1 + "/users/stats", Perm: auth.PermUserRead, Summary: "账号统计（数据范围内）：总数、已锁定、已停用", Resp: accounts.UserCounts{}, handler: s.userStats},
		{Method: "POST", Pattern: v1 + "/users", Perm: auth.PermUserCreate, Summary: "新建账号（系统管理员可授予业务角色，安全管理员另可授予个人信息明文查看、导出角色；三员账号只能用命令行建立）", Body: userCreate{}, Resp: accounts.UserView{}, handler: s.createUser},
		{Method: "PATCH", Pattern: v1 + "/users/" + idParam, Perm: auth.PermUserRead, Summary: "修改账号：姓名、停用（系统管理员）；角色、数据范围（安全管理员）；三员账号之间不能相互修改", Body: userPatch{}, Resp: accounts.UserView{}, handler: s.updateUser},
		{Method: "POST", Pattern: v1 + "/users/" + idParam + "/reset-password", Perm: auth.PermUserWrite, Summary: "重置密码（下次登录须修改；不能与最近5次的密码相同；三员账号只能用命令行重置）", Body: passwordReset{}, handler: s.resetPassword},
		{Method: "POST", Pattern: v1 + "/users/" + idParam + "/unlock", Perm: auth.PermUserWrite, Summary: "解锁账号", handler: s.unlockUser},

		{Method: "GET", Pattern: v1 + "/settings/security", Perm: auth.PermSecuritySettings, Summary: "安全设置", Resp: domain.SecuritySettings{}, handler: s.getSecuritySettings},
		{Method: "PUT", Pattern: v1 + "/settings/security", Perm: auth.PermSecuritySettings, Summary: "修改安全设置", Body: domain.SecuritySettings{}, Resp: domain.SecuritySettings{}, handler: s.putSecuritySettings},

		{Method: "GET", Pattern: v1 + "/settings/coverage", Perm: auth.PermOrgRead, Summary: "两个覆盖设置：目标范围、中转期限、校验位例外代码", Resp: domain.CoverageSettings{}, handler: s.getCoverageSettings},
		{Method: "PUT", Pattern: v1 + "/settings/coverage", Perm: auth.PermCoverageSettings, Summary: "修改两个覆盖设置（市级）", Body: domain.CoverageSettings{}, Resp: domain.CoverageSettings{}, handler: s.putCoverageSettings},

		{Method: "GET", Pattern: v1 + "/audit-events", Perm: auth.PermAuditRead, Summary: "审计日志查询（新的在前）", Resp: AuditEventView{}, List: true,
			Query: withPaging(param{"username", "string", "用户名"}, param{"action", "string", "操作"}, param{"object_type", "string", "对象类型"}, param{"object_id", "string", "对象编号"},
				param{"result", "string", "success、failure"}, param{"from", "string", "开始（日期或 RFC 3339）"}, param{"to", "string", "结束（日期含当天）"}), handler: s.listAudit},
		{Method: "GET", Pattern: v1 + "/audit-events/stats", Perm: auth.PermAuditRead, Summary: "审计统计：今日事件、今日失败与越权", Resp: AuditCounts{}, handler: s.auditStats},
		{Method: "GET", Pattern: v1 + "/audit-events/verify", Perm: auth.PermAuditRead, Summary: "校验审计日志哈希链", Resp: store.VerifyResult{}, handler: s.verifyAudit},

		{Method: "GET", Pattern: v1 + "/alerts", Perm: auth.PermAlertRead, Summary: "防瘫预警列表（数据范围内；默认未消除的，红色在前）", Resp: alerts.AlertView{}, List: true,
			Query: alertListQuery, handler: s.listAlerts},
		{Method: "GET", Pattern: v1 + "/alerts.xlsx", Perm: auth.PermAlertRead, Summary: "按列表筛选条件导出防瘫预警（记入审计日志）", Query: alertFilterQuery, File: true, handler: s.exportAlerts},
		{Method: "GET", Pattern: v1 + "/alerts/stats", Perm: auth.PermAlertRead, Summary: "预警看板：按等级、规则、区（市）县、党组织汇总，近90天趋势", Resp: alerts.AlertStats{},
			Query: []param{{"region", "string", "区划或功能区代码"}, {"under", "integer", "该党组织的整棵子树"}}, handler: s.alertStats},
		{Method: "GET", Pattern: v1 + "/alerts/evaluate", Perm: auth.PermAlertRead, Summary: "按任意日期预览数据范围内的评估结果（不记入预警）", Resp: evaluation{},
			Query: []param{{"now", "string", "评估日期（YYYY-MM-DD），默认今天"}}, handler: s.evaluateAlerts},
		{Method: "POST", Pattern: v1 + "/alerts/run", Perm: auth.PermAlertRules, Summary: "立即评估全部规则并记入预警（市级）", Body: runRequest{}, Resp: alerts.RunSummary{}, handler: s.runAlerts},
		{Method: "GET", Pattern: v1 + "/alerts/assignees", Perm: auth.PermAlertRead, Summary: "可分配的负责人：该党组织及其上级的工作人员账号", Resp: []alerts.Assignee{},
			Query: []param{{"party_org_id", "integer", "党组织"}}, handler: s.alertAssignees},
		{Method: "GET", Pattern: v1 + "/alerts/" + idParam, Perm: auth.PermAlertRead, Summary: "一条预警及其处理经过", Resp: alerts.AlertView{}, handler: s.getAlert},
		{Method: "POST", Pattern: v1 + "/alerts/" + idParam + "/assign", Perm: auth.PermAlertWrite, Summary: "分配负责人", Body: alerts.AlertAction{}, Resp: alerts.AlertView{}, handler: s.alertAction(alert.AlertAssign)},
		{Method: "POST", Pattern: v1 + "/alerts/" + idParam + "/acknowledge", Perm: auth.PermAlertWrite, Summary: "确认预警", Body: alerts.AlertAction{}, Resp: alerts.AlertView{}, handler: s.alertAction(alert.AlertAcknowledge)},
		{Method: "POST", Pattern: v1 + "/alerts/" + idParam + "/resolve", Perm: auth.PermAlertWrite, Summary: "处置预警（须填写处置情况）", Body: alerts.AlertAction{}, Resp: alerts.AlertView{}, handler: s.alertAction(alert.AlertResolve)},
		{Method: "POST", Pattern: v1 + "/alerts/" + idParam + "/reopen", Perm: auth.PermAlertWrite, Summary: "重新打开已处置的预警", Body: alerts.AlertAction{}, Resp: alerts.AlertView{}, handler: s.alertAction(alert.AlertReopen)},
		{Method: "GET", Pattern: v1 + "/rules", Perm: auth.PermAlertRead, Summary: "预警规则：说明、依据、参数与当前设置", Resp: []alerts.RuleView{}, handler: s.listRules},
		{Method: "PATCH", Pattern: v1 + "/rules/{code}", Perm: auth.PermAlertRules, Summary: "启用、停用或调整预警规则参数（市级）", Body: alerts.RuleInput{}, Resp: alerts.RuleView{}, handler: s.updateRule},
		{Method: "GET", Pattern: v1 + "/todo", Perm: auth.PermDashboard, Summary: "我的待办：预警、待审批的备案与请示、即将届满的任期、被退回的备案", Resp: todo.Todo{}, handler: s.getTodo},
		{Method: "GET", Pattern: v1 + "/todo/counts", Perm: auth.PermDashboard, Summary: "待办数量（顶栏）", Resp: todo.TodoCounts{}, handler: s.getTodoCounts},
	}
}

// themeInput is a monthly theme's body.
type themeInput struct {
	Title       string `json:"title"`
	Description string `json:"description" text:"multiline"`
}

// attachmentUpload documents the upload form.
type attachmentUpload struct {
	File string `json:"file" format:"binary"`
}

// requestQuery are the filters of the filings' and term changes' lists.
func requestQuery(kinds string) []param {
	return []param{{"party_org_id", "integer", "党组织"}, {"status", "string", "pending、approved、returned、withdrawn"},
		{"kind", "string", kinds}, {"to_approve", "boolean", "只看我可审批的（下级党组织待审批的）"},
		{"waiting", "boolean", "只看等我审批的（直属下级党组织待审批的，待办）"}}
}

func complianceQuery(extra ...param) []param {
	return append([]param{{"year", "integer", "年份，默认今年"}, {"region", "string", "区划代码（含下级街道）"}, {"under", "integer", "该党组织的整棵子树"}}, extra...)
}

// The filters of the organization and member lists, which their exports
// take too.
var (
	orgListQuery = []param{{"q", "string", "名称包含，或统一社会信用代码"}, {"region", "string", "区划代码（含下级街道）"}, {"status", "string", "经营状态"},
		{"industry", "string", "行业门类"}, {"kind", "string", "组织类别"}, {"flag", "string", "标签"}, {"mark", "string", "具有该党建情况或标签"},
		{"no_mark", "string", "不具有该党建情况或标签"}, {"chain", "string", "重点产业链代码"}, {"zone_id", "integer", "园区/楼宇/市场"},
		{"manager_id", "integer", "由该党组织（含下级）管理"}, {"sort", "string", "name、registered_on、employees、id，前缀 - 为倒序"}}
	memberListQuery = []param{{"q", "string", "姓名（从姓开始）、身份证号后4位、完整身份证号或手机号"}, {"party_org_id", "integer", "组织关系所在党组织（含下级）"},
		{"region", "string", "组织关系所在党组织的区划（含下级街道）"}, {"employer_id", "integer", "工作单位"}, {"status", "string", "full、probationary"}, {"standing", "string", "党籍状态"}, {"gig_type", "string", "新就业群体类型"}}
)
