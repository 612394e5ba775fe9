package alerts

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/orglife"

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
	alert.Finding
}

// RuleTiming is what one group of rules cost in an evaluation.
type RuleTiming struct {
	Millis   float64 `json:"ms"`
	Findings int     `json:"findings"`
}

// Evaluation is every enabled rule applied at one date.
type Evaluation struct {
	AsOf     domain.Date                    `json:"as_of"`
	Findings []OrgFinding                   `json:"-"`
	PerRule  map[alert.RuleCode]*RuleTiming `json:"per_rule"`
	Millis   float64                        `json:"ms"`
}

// rosterTypes are the activities whose roster is every member of the
// hosting orgs and whose attendance is recorded: the attendance rules
// count only them (支委会 and 党小组会 have smaller rosters; 谈心谈话 is
// one-to-one).
var rosterTypes = []activity.ActivityType{activity.MembersMeeting, activity.PartyLecture, activity.ThemeDay, activity.JointThemeDay,
	activity.LifeMeeting, activity.MemberReview, activity.JointStudy, activity.QuestionSolving}

func sqlList[T ~string](vs []T) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "'" + string(v) + "'"
	}
	return strings.Join(q, ",")
}

// evalRange is the evaluated part of the tree: a path range, and whether it
// is the whole tree (then no query filters by it).
type evalRange struct {
	lo, hi string
	whole  bool
}

// in restricts a column holding a Party org id to the range.
func (r evalRange) in(col string) (string, []any) {
	if r.whole {
		return "", nil
	}
	return " AND " + col + " IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)", []any{r.lo, r.hi}
}

// alertOrg is a Party org's own facts as the engine reads them.
type alertOrg struct {
	ID       int64
	ParentID int64
	Path     string
	Region   string
	Facts    alert.OrgAlertFacts
	Name     string
	Founded  domain.Date
	Dissolve domain.Date
	Unfiled  domain.Date
	Sec      string
	orphans  int
}

// Evaluate applies every enabled rule inside the scope at asOf. It writes
// nothing: Run persists an evaluation of the whole tree.
func (s *Store) Evaluate(ctx context.Context, sc store.Scope, asOf domain.Date) (*Evaluation, error) {
	day, ok := domain.ParseDate(string(asOf))
	if !ok {
		return nil, domain.FieldError("now", domain.DateProblem("评估日期", string(asOf)))
	}
	t0 := time.Now()
	rules, err := s.AlertRules(ctx)
	if err != nil {
		return nil, err
	}
	set := map[alert.RuleCode]alert.RuleSetting{}
	for _, r := range rules {
		set[r.Code] = r.Setting()
	}
	ev := &Evaluation{AsOf: asOf, PerRule: map[alert.RuleCode]*RuleTiming{}}
	for _, r := range rules {
		ev.PerRule[r.Code] = &RuleTiming{}
	}
	// timed runs one gatherer and charges its time to the rules it serves
	// (shared evenly when several).
	timed := func(codes []alert.RuleCode, fn func() error) error {
		start := time.Now()
		err := fn()
		ms := float64(time.Since(start).Microseconds()) / 1000 / float64(len(codes))
		for _, c := range codes {
			ev.PerRule[c].Millis += ms
		}
		return err
	}
	var mu sync.Mutex
	add := func(orgID int64, subject string, f *alert.Finding) {
		if f == nil {
			return
		}
		mu.Lock()
		ev.Findings = append(ev.Findings, OrgFinding{orgID, subject, *f})
		ev.PerRule[f.Rule].Findings++
		mu.Unlock()
	}
	// The groups after the orgs' own read are independent reads: they run
	// side by side on the read pool, each timed on its own.
	var wg sync.WaitGroup
	var firstErr error
	spawn := func(codes []alert.RuleCode, fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			err := fn()
			ms := float64(time.Since(start).Microseconds()) / 1000 / float64(len(codes))
			mu.Lock()
			defer mu.Unlock()
			for _, c := range codes {
				ev.PerRule[c].Millis += ms
			}
			if err != nil && firstErr == nil {
				firstErr = err
			}
		}()
	}

	whole, err := s.db.WholeTree(ctx, sc)
	if err != nil {
		return nil, err
	}
	lo, hi := sc.Bounds()
	r := evalRange{lo, hi, whole}
	var orgs []alertOrg
	index := map[int64]int{}
	structural := []alert.RuleCode{alert.RuleSecretaryVacant, alert.RuleTermOverdue, alert.RuleTermEnding, alert.RuleTooFewMembers,
		alert.RuleNoCommittee, alert.RuleTooManyMembers, alert.RuleJointBranchTooWide, alert.RuleFilingMissing, alert.RuleMembersOrphaned}
	if err := timed(structural, func() error {
		orgs, index, err = s.alertOrgs(ctx, r, asOf)
		return err
	}); err != nil {
		return nil, err
	}
	for i := range orgs {
		o := &orgs[i]
		for _, code := range structural[:7] {
			add(o.ID, "", alert.EvaluateStructural(code, set[code], o.Facts, asOf))
		}
		if o.Facts.Status == domain.StatusActive {
			add(o.ID, "", alert.EvaluateFilingMissing(set[alert.RuleFilingMissing], o.Unfiled, o.Sec, asOf))
		} else {
			add(o.ID, "", alert.EvaluateMembersOrphaned(set[alert.RuleMembersOrphaned], o.Dissolve, o.orphans))
		}
	}

	spawn([]alert.RuleCode{alert.RuleOrgDeregistered}, func() error {
		gone, err := s.goneOrganizations(ctx, r)
		if err != nil {
			return err
		}
		for id, g := range gone {
			if i, ok := index[id]; ok && orgs[i].Facts.Status == domain.StatusActive {
				add(id, "", alert.EvaluateOrgDeregistered(set[alert.RuleOrgDeregistered], g))
			}
		}
		return nil
	})

	spawn([]alert.RuleCode{alert.RuleMeetingsMissing}, func() error {
		if !set[alert.RuleMeetingsMissing].Enabled {
			return nil
		}
		e, err := s.orglife.ComplianceEvaluator(ctx, day.Year(), day.Add(12*time.Hour))
		if err != nil {
			return err
		}
		return s.orglife.CompliancePass(ctx, sc, orglife.ComplianceFilter{Year: day.Year()}, e, func(o *orglife.LedgerOrg, sum *activity.ComplianceSummary) {
			if sum.Due > sum.Done {
				add(o.ID, "", alert.EvaluateMeetingsMissing(set[alert.RuleMeetingsMissing], e.MissingOf(sum)))
			}
		})
	})

	ledger := map[domain.PartyOrgType]bool{}
	for _, t := range orglife.LedgerOrgTypes {
		ledger[t] = true
	}
	rosterType := map[activity.ActivityType]bool{}
	for _, t := range rosterTypes {
		rosterType[t] = true
	}
	spawn([]alert.RuleCode{alert.RuleFilingPending}, func() error {
		pend, err := s.pendingRequests(ctx, r, asOf)
		if err != nil {
			return err
		}
		for _, p := range pend {
			add(p.orgID, p.subject, alert.EvaluateFilingPending(set[alert.RuleFilingPending], p.PendingRequest, asOf))
		}
		return nil
	})

	// The three rules on organizational life read one window of held
	// activities, from the earliest day any of them looks at: the last
	// ones of no_activity, the attendance window of low_attendance, and
	// the activities after member_inactive's cutoff.
	na, la, mi := set[alert.RuleNoActivity], set[alert.RuleLowAttendance], set[alert.RuleMemberInactive]
	naFrom := domain.AddMonths(asOf, -na.Params["yellow_months"])                               // exclusive
	laFrom := domain.DateOf(day.AddDate(0, 0, -la.Params["window_days"]+1).Add(12 * time.Hour)) // inclusive
	miCut := domain.AddMonths(asOf, -mi.Params["yellow_months"])                                // exclusive
	after, windowRules := asOf, []alert.RuleCode{}
	for _, w := range []struct {
		code  alert.RuleCode
		after domain.Date
	}{{alert.RuleNoActivity, naFrom}, {alert.RuleLowAttendance, domain.DateOf(day.AddDate(0, 0, -la.Params["window_days"]).Add(12 * time.Hour))},
		{alert.RuleMemberInactive, miCut}} {
		if set[w.code].Enabled {
			after, windowRules = min(after, w.after), append(windowRules, w.code)
		}
	}
	var window []heldActivity
	windowRead := make(chan struct{})
	windowOK := false

	spawn([]alert.RuleCode{alert.RuleMemberInactive}, func() error {
		if !mi.Enabled {
			return nil
		}
		lives, err := s.inactiveMembers(ctx, r, miCut, asOf)
		if err != nil {
			return err
		}
		<-windowRead
		if !windowOK {
			return nil // the window's error is reported
		}
		// The last roster activity of a branch with inactive members: the
		// window's latest after the cutoff, else (rarely) read.
		last := map[int64]domain.Date{}
		for _, a := range window {
			if _, ok := lives[a.org]; ok && a.on > miCut && rosterType[a.typ] && a.on > last[a.org] {
				last[a.org] = a.on
			}
		}
		var older []int64
		for id := range lives {
			if _, ok := last[id]; !ok {
				older = append(older, id)
			}
		}
		before, err := s.lastHeldOf(ctx, older, asOf, rosterTypes)
		if err != nil {
			return err
		}
		for id, l := range before {
			last[id] = l.on
		}
		for id, ms := range lives {
			if i, ok := index[id]; ok && orgs[i].Facts.Status == domain.StatusActive && ledger[orgs[i].Facts.Type] {
				add(id, "", alert.EvaluateMemberInactive(mi, ms, last[id], asOf))
			}
		}
		return nil
	})

	err = timed(windowRules, func() error {
		defer close(windowRead)
		if len(windowRules) == 0 {
			return nil
		}
		var err error
		window, err = s.heldWindow(ctx, r, after, asOf)
		windowOK = err == nil
		return err
	})
	if err != nil {
		wg.Wait()
		return nil, err
	}

	spawn([]alert.RuleCode{alert.RuleNoActivity}, func() error {
		if !na.Enabled {
			return nil
		}
		recent := map[int64]bool{}
		for _, a := range window {
			if a.on > naFrom {
				recent[a.org] = true
			}
		}
		var silent []int64
		for i := range orgs {
			if o := &orgs[i]; o.Facts.Status == domain.StatusActive && ledger[o.Facts.Type] && !recent[o.ID] {
				silent = append(silent, o.ID)
			}
		}
		last, err := s.lastHeldOf(ctx, silent, asOf, nil)
		if err != nil {
			return err
		}
		for _, id := range silent {
			o := &orgs[index[id]]
			add(o.ID, "", alert.EvaluateNoActivity(na, last[id].on, last[id].typ, o.Founded, asOf))
		}
		return nil
	})

	spawn([]alert.RuleCode{alert.RuleLowAttendance}, func() error {
		if !la.Enabled {
			return nil
		}
		windows, err := s.attendanceWindows(ctx, window, laFrom, asOf)
		if err != nil {
			return err
		}
		for id, w := range windows {
			if i, ok := index[id]; ok && orgs[i].Facts.Status == domain.StatusActive && ledger[orgs[i].Facts.Type] {
				w.Expected = w.Activities * orgs[i].Facts.Members
				add(id, "", alert.EvaluateLowAttendance(la, *w))
			}
		}
		return nil
	})
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	// The groups ran side by side: the findings in a stable order.
	rank := map[alert.RuleCode]int{}
	for i, d := range alert.Rules {
		rank[d.Code] = i
	}
	sort.Slice(ev.Findings, func(i, j int) bool {
		a, b := ev.Findings[i], ev.Findings[j]
		if a.Rule != b.Rule {
			return rank[a.Rule] < rank[b.Rule]
		}
		if a.PartyOrgID != b.PartyOrgID {
			return a.PartyOrgID < b.PartyOrgID
		}
		return a.Subject < b.Subject
	})
	ev.Millis = float64(time.Since(t0).Microseconds()) / 1000
	return ev, nil
}

// alertOrgs reads the Party orgs of the range (active ones, and dissolved
// ones still holding members) with their member counts and covered
// organizations.
func (s *Store) alertOrgs(ctx context.Context, r evalRange, asOf domain.Date) ([]alertOrg, map[int64]int, error) {
	rows, err := s.db.QueryRows(ctx, `SELECT id, COALESCE(parent_id, 0), path, region_code, type, status, name, secretary_name,
		COALESCE(secretary_vacant_since, ''), COALESCE(secretary_unfiled_since, ''), COALESCE(term_end, ''), COALESCE(postponed_to, ''),
		committee_size, COALESCE(founded_on, ''), COALESCE(dissolved_on, '')
		FROM party_orgs WHERE path >= ? AND path < ?`, r.lo, r.hi)
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
	// Members in good standing per Party org, from the counts kept by the
	// writers (migration 0018) rather than a scan of every member.
	in, inArgs := r.in("c.party_org_id")
	rows, err = s.db.QueryRows(ctx, `SELECT c.party_org_id, SUM(CASE WHEN c.status = ? THEN c.n ELSE 0 END), SUM(c.n)
		FROM member_counts c WHERE c.standing = ? AND c.party_org_id <> 0`+in+` GROUP BY c.party_org_id`,
		append([]any{domain.MemberFull, domain.StandingRegistered}, inArgs...)...)
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
	in, inArgs = r.in("c.party_org_id")
	rows, err = s.db.QueryRows(ctx, `SELECT c.party_org_id, COUNT(*) FROM party_org_covers c WHERE 1 = 1`+in+` GROUP BY c.party_org_id`, inArgs...)
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
func (s *Store) goneOrganizations(ctx context.Context, r evalRange) (map[int64][]alert.GoneOrganization, error) {
	in, inArgs := r.in("c.party_org_id")
	rows, err := s.db.QueryRows(ctx, `SELECT c.party_org_id, o.name, o.status, substr(o.updated_at, 1, 10)
		FROM party_org_covers c JOIN organizations o ON o.id = c.organization_id
		WHERE o.status IN (?, ?, ?)`+in+` ORDER BY c.party_org_id, o.name`,
		append([]any{domain.OrgDeregistered, domain.OrgRevoked, domain.OrgMovedOut}, inArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]alert.GoneOrganization{}
	for rows.Next() {
		var id int64
		var g alert.GoneOrganization
		var since string
		if err := rows.Scan(&id, &g.Name, &g.Status, &since); err != nil {
			return nil, err
		}
		g.Since = domain.Date(since)
		out[id] = append(out[id], g)
	}
	return out, rows.Err()
}

// heldActivity is a held activity of the window, once per hosting org.
type heldActivity struct {
	id, org int64
	typ     activity.ActivityType
	on      domain.Date
}

// heldWindow reads the held activities of (after, to] hosted in the range,
// with their hosts: the date index read alone (on PostgreSQL it carries the
// ids), the hosts by key.
func (s *Store) heldWindow(ctx context.Context, r evalRange, after, to domain.Date) ([]heldActivity, error) {
	in, inArgs := r.in("h.party_org_id")
	rows, err := s.db.QueryRows(ctx, `SELECT a.id, h.party_org_id, a.type, a.start_date FROM activities a JOIN activity_hosts h ON h.activity_id = a.id
		WHERE a.status = 'held' AND a.start_date > ? AND a.start_date <= ?`+in, append([]any{string(after), string(to)}, inArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []heldActivity
	for rows.Next() {
		var a heldActivity
		var typ, on string
		if err := rows.Scan(&a.id, &a.org, &typ, &on); err != nil {
			return nil, err
		}
		a.typ, a.on = activity.ActivityType(typ), domain.Date(on)
		out = append(out, a)
	}
	return out, rows.Err()
}

type lastActivity struct {
	on  domain.Date
	typ activity.ActivityType
}

// lastHeldOf finds the given orgs' last held activity on or before asOf
// (of the given types, or any), each org's activities read through the
// hosts' index, in chunks.
func (s *Store) lastHeldOf(ctx context.Context, orgIDs []int64, asOf domain.Date, types []activity.ActivityType) (map[int64]lastActivity, error) {
	out := map[int64]lastActivity{}
	cond := ""
	if types != nil {
		cond = ` AND a.type IN (` + sqlList(types) + `)`
	}
	for len(orgIDs) > 0 {
		n := min(len(orgIDs), 500)
		args := make([]any, 0, n+1)
		for _, id := range orgIDs[:n] {
			args = append(args, id)
		}
		orgIDs = orgIDs[n:]
		rows, err := s.db.QueryRows(ctx, `SELECT h.party_org_id, a.start_date, a.type FROM activity_hosts h JOIN activities a`+s.db.D.NotIndexed()+` ON a.id = h.activity_id
			WHERE h.party_org_id IN (`+strings.TrimSuffix(strings.Repeat("?,", n), ",")+`) AND a.status = 'held' AND a.start_date <= ?`+cond,
			append(args, string(asOf))...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var on, typ string
			if err := rows.Scan(&id, &on, &typ); err != nil {
				rows.Close()
				return nil, err
			}
			// The latest date; on a tie, the first type by code, so that
			// the reason does not change from one run to the next.
			if l, ok := out[id]; !ok || domain.Date(on) > l.on || domain.Date(on) == l.on && activity.ActivityType(typ) < l.typ {
				out[id] = lastActivity{domain.Date(on), activity.ActivityType(typ)}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// attendanceWindows sums, per hosting org, the held roster activities of
// [from, to] in the window and its own members' presences and leaves at
// them. Presences are counted from the unique index (every row of an
// activity) less the few other rows (leave, absence, guests), read from
// their partial index, so that the window's million-odd attendances are
// never visited one by one; both a chunk of activities at a time. Only a
// joint activity's presences are split by org.
func (s *Store) attendanceWindows(ctx context.Context, window []heldActivity, from, to domain.Date) (map[int64]*alert.AttendanceWindow, error) {
	type act struct {
		hosts []int64
		rows  int
	}
	acts := map[int64]*act{}
	var ids []int64
	out := map[int64]*alert.AttendanceWindow{}
	for _, h := range window {
		if h.on < from || h.on > to || !slices.Contains(rosterTypes, h.typ) {
			continue
		}
		a := acts[h.id]
		if a == nil {
			a = &act{}
			acts[h.id] = a
			ids = append(ids, h.id)
		}
		a.hosts = append(a.hosts, h.org)
		w := out[h.org]
		if w == nil {
			w = &alert.AttendanceWindow{From: from, To: to}
			out[h.org] = w
		}
		w.Activities++
	}
	each := func(q string, ids []int64, fn func(*sql.Rows) error) error {
		if len(ids) == 0 {
			return nil
		}
		for _, chunk := range store.Chunks(ids, 1000) {
			rows, err := s.db.QueryRows(ctx, fmt.Sprintf(q, store.Placeholders(len(chunk))), store.Anys(chunk)...)
			if err != nil {
				return err
			}
			for rows.Next() {
				if err := fn(rows); err != nil {
					rows.Close()
					return err
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	}
	var single, joint []int64
	for _, id := range ids {
		if len(acts[id].hosts) == 1 {
			single = append(single, id)
		} else {
			joint = append(joint, id)
		}
	}
	err := each(`SELECT activity_id, COUNT(*) FROM attendances WHERE activity_id IN (%s) GROUP BY activity_id`, single, func(r *sql.Rows) error {
		var id int64
		var n int
		err := r.Scan(&id, &n)
		acts[id].rows += n
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT activity_id, COALESCE(member_org_id, 0), kind, recognized FROM attendances
		WHERE activity_id IN (%s) AND (kind <> 'present' OR recognized = 1)`, ids, func(r *sql.Rows) error {
		var id, org int64
		var kind string
		var recognized bool
		if err := r.Scan(&id, &org, &kind, &recognized); err != nil {
			return err
		}
		acts[id].rows-- // not a host member's presence
		if w := out[org]; w != nil && !recognized && kind == string(activity.AttendLeave) {
			w.Leave++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, id := range single {
		out[acts[id].hosts[0]].Present += acts[id].rows
	}
	err = each(`SELECT member_org_id, COUNT(*) FROM attendances WHERE activity_id IN (%s) AND kind = 'present' AND recognized = 0
		GROUP BY member_org_id`, joint, func(r *sql.Rows) error {
		var org sql.NullInt64
		var c int
		if err := r.Scan(&org, &c); err != nil {
			return err
		}
		if w := out[org.Int64]; org.Valid && w != nil {
			w.Present += c
		}
		return nil
	})
	return out, err
}

// inactiveMembers finds, per branch, the members in good standing with no
// organizational life (present or on leave) since cutoff, and their last
// one before it. Both reads stay in the member index of attendances
// (member, time, kind): a life is dated by its check-in or mark, which
// for a mark recorded long after its activity is later than the activity.
func (s *Store) inactiveMembers(ctx context.Context, r evalRange, cutoff, asOf domain.Date) (map[int64][]alert.MemberLife, error) {
	// A life on the cutoff day itself is exactly the rule's months ago, so
	// it does not keep a member active: the window starts the day after.
	cutTS := store.TS(mustDate(cutoff).Add(16 * time.Hour)) // the next midnight in the city
	endTS := store.TS(mustDate(asOf).Add(16 * time.Hour))
	// The candidates from the members_standing index alone (standing,
	// Party org, status, joining date), each probed in the attendances'
	// member index; their names only once they are candidates.
	rows, err := s.db.QueryRows(ctx, `SELECT m.id, m.party_org_id, m.joined_on FROM members m
		WHERE m.standing = ? AND m.status IN (?, ?) AND m.joined_on <= ?
		AND m.party_org_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ? AND type IN (`+sqlList(orglife.LedgerOrgTypes)+`))
		AND NOT EXISTS (SELECT 1 FROM attendances t WHERE t.member_id = m.id AND t.at >= ? AND t.at < ? AND t.kind <> 'absent')`,
		domain.StandingRegistered, domain.MemberFull, domain.MemberProbationary, string(cutoff), r.lo, r.hi, cutTS, endTS)
	if err != nil {
		return nil, err
	}
	type cand struct {
		org  int64
		life alert.MemberLife
	}
	cands := map[int64]*cand{}
	var ids []int64
	for rows.Next() {
		var id, org int64
		var c cand
		var joined string
		if err := rows.Scan(&id, &org, &joined); err != nil {
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
	names, err := s.db.NamesByID(ctx, "members", ids)
	if err != nil {
		return nil, err
	}
	for id, name := range names {
		cands[id].life.Name = name
	}
	for _, chunk := range store.Chunks(ids, 500) {
		if len(chunk) == 0 {
			continue // no candidates (Chunks gives nil one chunk)
		}
		rows, err := s.db.QueryRows(ctx, `SELECT member_id, MAX(at) FROM attendances
			WHERE member_id IN (`+store.Placeholders(len(chunk))+`) AND at < ? AND kind <> 'absent'
			GROUP BY member_id`, append(store.Anys(chunk), endTS)...)
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
			cands[id].life.LastLife = domain.DateOf(store.ParseTS(last))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// Each branch's members in id order, so that the reason lists members
	// with the same last life in the same order from one run to the next.
	order := make([]int64, 0, len(cands))
	for id := range cands {
		order = append(order, id)
	}
	slices.Sort(order)
	out := map[int64][]alert.MemberLife{}
	for _, id := range order {
		c := cands[id]
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
	alert.PendingRequest
	orgID   int64
	subject string
}

// pendingRequests lists the filings and 换届 requests still pending.
func (s *Store) pendingRequests(ctx context.Context, r evalRange, asOf domain.Date) ([]pendingRequest, error) {
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
		rows, err := s.db.QueryRows(ctx, q.sql, r.lo, r.hi)
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
			p.Submitted = domain.DateOf(store.ParseTS(at))
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
