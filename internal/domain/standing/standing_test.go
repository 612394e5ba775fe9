package standing

import (
	"errors"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

func TestApply(t *testing.T) {
	ok := func(k Kind) Decision {
		return Decision{Kind: k, On: "2026-12-01", Manner: Expelled, Body: "中共某公司支部委员会", Document: "某党发〔2026〕3号"}
	}
	for _, c := range []struct {
		from string
		kind Kind
		to   string // "" for a conflict
	}{
		{domain.StandingRegistered, Death, domain.StandingDeceased},
		{domain.StandingRegistered, Leave, domain.StandingExpelled},
		{domain.StandingRegistered, Suspend, domain.StandingSuspended},
		{domain.StandingRegistered, Restore, ""},
		{domain.StandingSuspended, Restore, domain.StandingRegistered},
		{domain.StandingSuspended, Leave, domain.StandingExpelled},
		{domain.StandingSuspended, Suspend, ""},
		{domain.StandingTransferredOut, Death, ""},
		{domain.StandingDeceased, Restore, ""},
		{domain.StandingExpelled, Restore, ""},
	} {
		got, err := Apply(c.from, ok(c.kind), "2026-12-07")
		var ce *domain.ConflictError
		if c.to == "" && !errors.As(err, &ce) || c.to != "" && (err != nil || got != c.to) {
			t.Errorf("%s + %s: %q %v, want %q", c.from, c.kind, got, err, c.to)
		}
	}
}

func TestApplyChecksFields(t *testing.T) {
	for _, c := range []struct {
		d     Decision
		field string
	}{
		{Decision{Kind: "promote", On: "2026-12-01"}, "kind"},
		{Decision{Kind: Death, On: "2026-12-08"}, "on"},
		{Decision{Kind: Leave, On: "2026-12-01", Body: "支部", Document: "1号"}, "manner"},
		{Decision{Kind: Suspend, On: "2026-12-01", Document: "1号"}, "body"},
		{Decision{Kind: Restore, On: "2026-12-01", Body: "支部"}, "document"},
	} {
		_, err := Apply(domain.StandingSuspended, c.d, "2026-12-07")
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Fields[c.field] == "" {
			t.Errorf("%+v: %v, want a message on %s", c.d, err, c.field)
		}
	}
	// A death needs only its date.
	if got, err := Apply(domain.StandingRegistered, Decision{Kind: Death, On: "2026-12-01"}, "2026-12-07"); err != nil || got != domain.StandingDeceased {
		t.Errorf("death: %q %v", got, err)
	}
	if CanLogIn(domain.StandingSuspended) || !CanLogIn(domain.StandingRegistered) {
		t.Error("only registered members log in")
	}
}
