package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// The alert engine's read side: the facts of every rule gathered by a few
// set queries over the scope (never a query per org), then each rule's pure
// evaluation (internal/domain). Adding a rule is a catalogue entry, an
// evaluation function and, when it needs new facts, one more gatherer here.

// OrgFinding is a finding at a Party org. Subject tells apart several
// findings of one rule at one org ("filing:42"); "" otherwise.
type OrgFinding struct {
	PartyOrgID int64  `json:"party_org_id"`
	Subject    string `json:"subject,omitempty"`
	domain.Finding
}

// RuleTiming is what one group of rules cost in an evaluation.
type RuleTiming struct {
	Millis   float64 `json:"ms"`
	Findings int     `json:"findings"`
}

// Evaluation is every enabled rule applied at one date.
type Evaluation struct {
	AsOf     domain.Date                     `json:"as_of"`
	Findings []OrgFinding                    `json:"-"`
	PerRule  map[domain.RuleCode]*RuleTiming `json:"per_rule"`
	Millis   float64                         `json:"ms"`
}

// rosterTypes are the activities whose roster is every member of the
// hosting orgs and whose attendance is recorded: the attendance rules
// count only them (支委会 and 党小组会 have smaller rosters; 谈心谈话 is
// one-to-one).
var rosterTypes = []domain.ActivityType{domain.MembersMeeting, domain.PartyLecture, domain.ThemeDay, domain.JointThemeDay,
	domain.LifeMeeting, domain.MemberReview, domain.JointStudy, domain.QuestionSolving}

func sqlList[T ~string](vs []T) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "'" + string(v) + "'"
	}
	return strings.Join(q, ",")
}

// alertOrg is a Party org's own facts as the engine reads them.
type alertOrg struct {
	ID       int64
	ParentID int64
	Path     string
	Region   string
	Facts    domain.OrgAlertFacts
	Name     string
	Founded  domain.Date
	Dissolve domain.Date
	Unfiled  domain.Date
	Sec      string
	// lastHeld is the last held activity of any type; lastRoster of a
	// roster type (for member_inactive).
	lastHeld, lastRoster domain.Date
	lastType             domain.ActivityType
	orphans              int
}

// Evaluate applies every enabled rule inside the scope at asOf. It writes
// nothing: Run persists an evaluation of the whole tree.
func (s *Store) Evaluate(ctx context.Context, sc Scope, asOf domain.Date) (*Evaluation, error) {
	day, ok := domain.ParseDate(string(asOf))
	if !ok {
		return nil, domain.FieldError("now", "日期格式应为 YYYY-MM-DD")
	}
	t0 := time.Now()
	rules, err := s.AlertRules(ctx)
	if err != nil {
		return nil, err
	}
	set := map[domain.RuleCode]domain.RuleSetting{}
	for _, r := range rules {
		set[r.Code] = r.Setting()
	}
	ev := &Evaluation{AsOf: asOf, PerRule: map[domain.RuleCode]*RuleTiming{}}
	for _, r := range rules {
		ev.PerRule[r.Code] = &RuleTiming{}
	}
	// timed runs one gatherer and charges its time to the rules it serves
	// (shared evenly when several).
	timed := func(codes []domain.RuleCode, fn func() error) error {
		start := time.Now()
		err := fn()
		ms := float64(time.Since(start).Microseconds()) / 1000 / float64(len(codes))
		for _, c := range codes {
			ev.PerRule[c].Millis += ms
		}
		return err
	}
	add := func(orgID int64, subject string, f *domain.Finding) {
		if f == nil {
			return
		}
		ev.Findings = append(ev.Findings, OrgFinding{orgID, subject, *f})
		ev.PerRule[f.Rule].Findings++
	}

	lo, hi := sc.bounds()
	var orgs []alertOrg
	index := map[int64]int{}
	structural := []domain.RuleCode{domain.RuleSecretaryVacant, domain.RuleTermOverdue, domain.RuleTermEnding, domain.RuleTooFewMembers,
		domain.RuleNoCommittee, domain.RuleTooManyMembers, domain.RuleJointBranchTooWide, domain.RuleFilingMissing, domain.RuleMembersOrphaned}
	if err := timed(structural, func() error {
		orgs, index, err = s.alertOrgs(ctx, lo, hi, asOf)
		return err
	}); err != nil {
		return nil, err
	}
	for i := range orgs {
		o := &orgs[i]
		for _, code := range structural[:7] {
			add(o.ID, "", domain.EvaluateStructural(code, set[code], o.Facts, asOf))
		}
		if o.Facts.Status == domain.StatusActive {
			add(o.ID, "", domain.EvaluateFilingMissing(set[domain.RuleFilingMissing], o.Unfiled, o.Sec, asOf))
		} else {
			add(o.ID, "", domain.EvaluateMembersOrphaned(set[domain.RuleMembersOrphaned], o.Dissolve, o.orphans))
		}
	}

	if err := timed([]domain.RuleCode{domain.RuleOrgDeregistered}, func() error {
		gone, err := s.goneOrganizations(ctx, lo, hi)
		if err != nil {
			return err
		}
		for id, g := range gone {
			if i, ok := index[id]; ok && orgs[i].Facts.Status == domain.StatusActive {
				add(id, "", domain.EvaluateOrgDeregistered(set[domain.RuleOrgDeregistered], g))
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}

	if err := timed([]domain.RuleCode{domain.RuleMeetingsMissing}, func() error {
		if !set[domain.RuleMeetingsMissing].Enabled {
			return nil
		}
		e, err := s.complianceEvaluator(ctx, day.Year(), day.Add(12*time.Hour))
		if err != nil {
			return err
		}
		return s.compliancePass(ctx, sc, ComplianceFilter{Year: day.Year()}, e, func(o *ledgerOrg, sum *domain.ComplianceSummary) {
			if sum.Due > sum.Done {
				add(o.ID, "", domain.EvaluateMeetingsMissing(set[domain.RuleMeetingsMissing], e.MissingOf(sum)))
			}
		})
	}); err != nil {
		return nil, err
	}

	ledger := map[domain.PartyOrgType]bool{}
	for _, t := range LedgerOrgTypes {
		ledger[t] = true
	}
	if err := timed([]domain.RuleCode{domain.RuleNoActivity}, func() error {
		if err := s.lastHeld(ctx, lo, hi, asOf, orgs, index); err != nil {
			return err
		}
		for i := range orgs {
			o := &orgs[i]
			if o.Facts.Status == domain.StatusActive && ledger[o.Facts.Type] {
				add(o.ID, "", domain.EvaluateNoActivity(set[domain.RuleNoActivity], o.lastHeld, o.lastType, o.Founded, asOf))
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}

	if err := timed([]domain.RuleCode{domain.RuleLowAttendance}, func() error {
		st := set[domain.RuleLowAttendance]
		if !st.Enabled {
			return nil
		}
		from := domain.DateOf(day.AddDate(0, 0, -st.Params["window_days"]+1).Add(12 * time.Hour))
		windows, err := s.attendanceWindows(ctx, lo, hi, from, asOf)
		if err != nil {
			return err
		}
		for id, w := range windows {
			if i, ok := index[id]; ok && orgs[i].Facts.Status == domain.StatusActive && ledger[orgs[i].Facts.Type] {
				w.Expected = w.Activities * orgs[i].Facts.Members
				add(id, "", domain.EvaluateLowAttendance(st, *w))
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}

	if err := timed([]domain.RuleCode{domain.RuleMemberInactive}, func() error {
		st := set[domain.RuleMemberInactive]
		if !st.Enabled {
			return nil
		}
		lives, err := s.inactiveMembers(ctx, lo, hi, domain.AddMonths(asOf, -st.Params["yellow_months"]), asOf)
		if err != nil {
			return err
		}
		for id, ms := range lives {
			if i, ok := index[id]; ok && orgs[i].Facts.Status == domain.StatusActive && ledger[orgs[i].Facts.Type] {
				add(id, "", domain.EvaluateMemberInactive(st, ms, orgs[i].lastRoster, asOf))
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}

	if err := timed([]domain.RuleCode{domain.RuleFilingPending}, func() error {
		pend, err := s.pendingRequests(ctx, lo, hi, asOf)
		if err != nil {
			return err
		}
		for _, p := range pend {
			add(p.orgID, p.subject, domain.EvaluateFilingPending(set[domain.RuleFilingPending], p.PendingRequest, asOf))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	ev.Millis = float64(time.Since(t0).Microseconds()) / 1000
	return ev, nil
}

// alertOrgs reads the Party orgs of the range (active ones, and dissolved
// ones still holding members) with their member counts and covered
// organizations.
func (s *Store) alertOrgs(ctx context.Context, lo, hi string, asOf domain.Date) ([]alertOrg, map[int64]int, error) {
	rows, err := s.queryRows(ctx, `SELECT id, COALESCE(parent_id, 0), path, region_code, type, status, name, secretary_name,
		COALESCE(secretary_vacant_since, ''), COALESCE(secretary_unfiled_since, ''), COALESCE(term_end, ''), COALESCE(postponed_to, ''),
		committee_size, COALESCE(founded_on, ''), COALESCE(dissolved_on, '')
		FROM party_orgs WHERE path >= ? AND path < ?`, lo, hi)
	if err != nil {
		return nil, nil, err
	}
	var orgs []alertOrg
	index := map[int64]int{}
	for rows.Next() {
		var o alertOrg
		var typ, vacant, unfiled, termEnd, postponed, founded, dissolved string
		var committee int
		if err := rows.Scan(&o.ID, &o.ParentID, &o.Path, &o.Region, &typ, &o.Facts.Status, &o.Name, &o.Sec,
			&vacant, &unfiled, &termEnd, &postponed, &committee, &founded, &dissolved); err != nil {
			rows.Close()
			return nil, nil, err
		}
		o.Facts.Type = domain.PartyOrgType(typ)
		o.Facts.SecretaryVacantSince, o.Facts.TermEnd, o.Facts.PostponedTo = domain.Date(vacant), domain.Date(termEnd), domain.Date(postponed)
		o.Facts.HasCommittee = committee > 0
		o.Unfiled, o.Founded, o.Dissolve = domain.Date(unfiled), domain.Date(founded), domain.Date(dissolved)
		// A date in the future of asOf did not exist yet.
		if o.Founded > asOf {
			continue
		}
		if o.Facts.SecretaryVacantSince > asOf {
			o.Facts.SecretaryVacantSince = ""
		}
		if o.Unfiled > asOf {
			o.Unfiled = ""
		}
		if o.Facts.Status == domain.StatusDissolved && o.Dissolve > asOf {
			o.Facts.Status = domain.StatusActive
		}
		index[o.ID] = len(orgs)
		orgs = append(orgs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = s.queryRows(ctx, `SELECT m.party_org_id, SUM(CASE WHEN m.status = ? THEN 1 ELSE 0 END), COUNT(*)
		FROM members m JOIN party_orgs p ON p.id = m.party_org_id
		WHERE m.standing = ? AND p.path >= ? AND p.path < ? GROUP BY m.party_org_id`, domain.MemberFull, domain.StandingRegistered, lo, hi)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var id int64
		var full, all int
		if err := rows.Scan(&id, &full, &all); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if i, ok := index[id]; ok {
			o := &orgs[i]
			o.Facts.FullMembers, o.Facts.Members = full, all
			if o.Facts.Status == domain.StatusDissolved {
				o.orphans = all
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = s.queryRows(ctx, `SELECT c.party_org_id, COUNT(*) FROM party_org_covers c JOIN party_orgs p ON p.id = c.party_org_id
		WHERE p.path >= ? AND p.path < ? AND p.type = ? GROUP BY c.party_org_id`, lo, hi, domain.JointBranch)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, nil, err
		}
		if i, ok := index[id]; ok {
			orgs[i].Facts.CoveredOrganizations = n
		}
	}
	return orgs, index, rows.Err()
}

// goneOrganizations: per Party org, the covered organizations whose
// registry status says they are gone.
func (s *Store) goneOrganizations(ctx context.Context, lo, hi string) (map[int64][]domain.GoneOrganization, error) {
	rows, err := s.queryRows(ctx, `SELECT c.party_org_id, o.name, o.status, substr(o.updated_at, 1, 10)
		FROM party_org_covers c JOIN organizations o ON o.id = c.organization_id JOIN party_orgs p ON p.id = c.party_org_id
		WHERE o.status IN (?, ?, ?) AND p.path >= ? AND p.path < ? ORDER BY c.party_org_id, o.name`,
		domain.OrgDeregistered, domain.OrgRevoked, domain.OrgMovedOut, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]domain.GoneOrganization{}
	for rows.Next() {
		var id int64
		var g domain.GoneOrganization
		var since string
		if err := rows.Scan(&id, &g.Name, &g.Status, &since); err != nil {
			return nil, err
		}
		g.Since = domain.Date(since)
		out[id] = append(out[id], g)
	}
	return out, rows.Err()
}

// lastHeld sets each org's last held activity (any type, and of a roster
// type) on or before asOf.
func (s *Store) lastHeld(ctx context.Context, lo, hi string, asOf domain.Date, orgs []alertOrg, index map[int64]int) error {
	rows, err := s.queryRows(ctx, `SELECT h.party_org_id, MAX(a.start_date),
		MAX(CASE WHEN a.type IN (`+sqlList(rosterTypes)+`) THEN a.start_date END)
		FROM activity_hosts h JOIN activities a ON a.id = h.activity_id JOIN party_orgs p ON p.id = h.party_org_id
		WHERE a.status = 'held' AND a.start_date <= ? AND p.path >= ? AND p.path < ? GROUP BY h.party_org_id`, string(asOf), lo, hi)
	if err != nil {
		return err
	}
	var flagged []int64
	for rows.Next() {
		var id int64
		var last string
		var roster sql.NullString
		if err := rows.Scan(&id, &last, &roster); err != nil {
			rows.Close()
			return err
		}
		if i, ok := index[id]; ok {
			orgs[i].lastHeld, orgs[i].lastRoster = domain.Date(last), domain.Date(roster.String)
			if domain.MonthsBetween(domain.Date(last), asOf) >= 1 {
				flagged = append(flagged, id)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The type of the last activity, for the reason: only for the orgs
	// silent for a month or more, in chunks.
	for len(flagged) > 0 {
		n := min(len(flagged), 500)
		chunk := flagged[:n]
		flagged = flagged[n:]
		args := make([]any, 0, 2*n)
		for _, id := range chunk {
			args = append(args, id, string(orgs[index[id]].lastHeld))
		}
		cond := strings.TrimSuffix(strings.Repeat("(h.party_org_id = ? AND a.start_date = ?) OR ", n), " OR ")
		rows, err := s.queryRows(ctx, `SELECT h.party_org_id, MIN(a.type) FROM activity_hosts h JOIN activities a ON a.id = h.activity_id
			WHERE a.status = 'held' AND (`+cond+`) GROUP BY h.party_org_id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var typ string
			if err := rows.Scan(&id, &typ); err != nil {
				rows.Close()
				return err
			}
			orgs[index[id]].lastType = domain.ActivityType(typ)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// attendanceWindows sums, per hosting org, the held roster activities of
// [from, to] and its own members' present and leave marks at them.
func (s *Store) attendanceWindows(ctx context.Context, lo, hi string, from, to domain.Date) (map[int64]*domain.AttendanceWindow, error) {
	out := map[int64]*domain.AttendanceWindow{}
	rows, err := s.queryRows(ctx, `SELECT h.party_org_id, COUNT(*) FROM activity_hosts h JOIN activities a ON a.id = h.activity_id
		JOIN party_orgs p ON p.id = h.party_org_id
		WHERE a.status = 'held' AND a.type IN (`+sqlList(rosterTypes)+`) AND a.start_date >= ? AND a.start_date <= ?
		AND p.path >= ? AND p.path < ? GROUP BY h.party_org_id`, string(from), string(to), lo, hi)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		w := &domain.AttendanceWindow{From: from, To: to}
		var id int64
		if err := rows.Scan(&id, &w.Activities); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = w
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.queryRows(ctx, `SELECT t.member_org_id, SUM(CASE WHEN t.kind = 'present' THEN 1 ELSE 0 END), SUM(CASE WHEN t.kind = 'leave' THEN 1 ELSE 0 END)
		FROM activities a JOIN attendances t ON t.activity_id = a.id
		JOIN activity_hosts h ON h.activity_id = a.id AND h.party_org_id = t.member_org_id
		JOIN party_orgs p ON p.id = t.member_org_id
		WHERE a.status = 'held' AND a.type IN (`+sqlList(rosterTypes)+`) AND a.start_date >= ? AND a.start_date <= ?
		AND t.recognized = 0 AND p.path >= ? AND p.path < ? GROUP BY t.member_org_id`, string(from), string(to), lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var present, leave int
		if err := rows.Scan(&id, &present, &leave); err != nil {
			return nil, err
		}
		if w, ok := out[id]; ok {
			w.Present, w.Leave = present, leave
		}
	}
	return out, rows.Err()
}

// inactiveMembers finds, per branch, the members in good standing with no
// organizational life (present or on leave) since cutoff, and their last
// one before it. The first pass uses the attendance's own time over the
// member index (cheap, and exact unless a mark was recorded long after
// its activity); the candidates' last life is then read by activity date.
func (s *Store) inactiveMembers(ctx context.Context, lo, hi string, cutoff, asOf domain.Date) (map[int64][]domain.MemberLife, error) {
	// A life on the cutoff day itself is exactly the rule's months ago, so
	// it does not keep a member active: the window starts the day after.
	cutTS := ts(mustDate(cutoff).Add(16 * time.Hour)) // the next midnight in the city
	endTS := ts(mustDate(asOf).Add(16 * time.Hour))
	rows, err := s.queryRows(ctx, `SELECT m.id, m.party_org_id, m.name, m.joined_on FROM members m JOIN party_orgs p ON p.id = m.party_org_id
		WHERE m.standing = ? AND m.status IN (?, ?) AND m.joined_on <= ? AND p.path >= ? AND p.path < ? AND p.type IN (`+sqlList(LedgerOrgTypes)+`)
		AND NOT EXISTS (SELECT 1 FROM attendances t WHERE t.member_id = m.id AND t.at >= ? AND t.at < ? AND t.kind <> 'absent')`,
		domain.StandingRegistered, domain.MemberFull, domain.MemberProbationary, string(cutoff), lo, hi, cutTS, endTS)
	if err != nil {
		return nil, err
	}
	type cand struct {
		org  int64
		life domain.MemberLife
	}
	cands := map[int64]*cand{}
	var ids []int64
	for rows.Next() {
		var id, org int64
		var c cand
		var joined string
		if err := rows.Scan(&id, &org, &c.life.Name, &joined); err != nil {
			rows.Close()
			return nil, err
		}
		c.org, c.life.Joined = org, domain.Date(joined)
		cands[id] = &c
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		args := make([]any, 0, n+1)
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, string(asOf))
		rows, err := s.queryRows(ctx, `SELECT t.member_id, MAX(a.start_date) FROM attendances t JOIN activities a ON a.id = t.activity_id
			WHERE t.member_id IN (`+strings.TrimSuffix(strings.Repeat("?,", n), ",")+`) AND t.kind <> 'absent' AND a.start_date <= ?
			GROUP BY t.member_id`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var last string
			if err := rows.Scan(&id, &last); err != nil {
				rows.Close()
				return nil, err
			}
			cands[id].life.LastLife = domain.Date(last)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := map[int64][]domain.MemberLife{}
	for _, c := range cands {
		if c.life.LastLife > cutoff {
			continue // a late mark: the activity was recent after all
		}
		out[c.org] = append(out[c.org], c.life)
	}
	return out, nil
}

func mustDate(d domain.Date) time.Time {
	t, _ := domain.ParseDate(string(d))
	return t
}

type pendingRequest struct {
	domain.PendingRequest
	orgID   int64
	subject string
}

// pendingRequests lists the filings and 换届 requests still pending.
func (s *Store) pendingRequests(ctx context.Context, lo, hi string, asOf domain.Date) ([]pendingRequest, error) {
	var out []pendingRequest
	kinds := map[string]string{"appointment": "书记就任备案", "departure": "书记离任备案", "postpone": "换届延期请示", "advance": "提前换届请示"}
	for _, q := range []struct{ prefix, sql string }{
		{"filing", `SELECT f.id, f.party_org_id, f.kind, f.person_name, f.submitted_at, COALESCE(pp.name, '')
			FROM secretary_filings f JOIN party_orgs p ON p.id = f.party_org_id LEFT JOIN party_orgs pp ON pp.id = p.parent_id
			WHERE f.status = 'pending' AND p.path >= ? AND p.path < ?`},
		{"term_change", `SELECT f.id, f.party_org_id, f.kind, '', f.submitted_at, COALESCE(pp.name, '')
			FROM term_changes f JOIN party_orgs p ON p.id = f.party_org_id LEFT JOIN party_orgs pp ON pp.id = p.parent_id
			WHERE f.status = 'pending' AND p.path >= ? AND p.path < ?`},
	} {
		rows, err := s.queryRows(ctx, q.sql, lo, hi)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var p pendingRequest
			var id int64
			var kind, person, at string
			if err := rows.Scan(&id, &p.orgID, &kind, &person, &at, &p.Superior); err != nil {
				rows.Close()
				return nil, err
			}
			p.What = kinds[kind]
			if person != "" {
				p.What += "（" + person + "）"
			}
			p.Submitted = domain.DateOf(parseTS(at))
			p.subject = fmt.Sprintf("%s:%d", q.prefix, id)
			if p.Submitted <= asOf {
				out = append(out, p)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
