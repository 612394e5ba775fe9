package api

import (
	"net/http/httptest"
	"testing"
)

// TestPlainRequestTextAllocatesNothing: a request to a route without path
// parameters and without a query — every check-in — has no text to check,
// and the check costs it nothing; it split the pattern and parsed the
// empty query into a map at every request before. A query or a path
// parameter is still checked.
func TestPlainRequestTextAllocatesNothing(t *testing.T) {
	r := httptest.NewRequest("POST", "/api/v1/checkins", nil)
	if n := testing.AllocsPerRun(100, func() {
		if err := checkRequestText(r, "/api/v1/checkins"); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("checking a plain request allocates %.0f times", n)
	}
	bad := httptest.NewRequest("GET", "/api/v1/activities?q=%01", nil)
	if err := checkRequestText(bad, "/api/v1/activities"); err == nil {
		t.Error("a control character in the query passes")
	}
	bad = httptest.NewRequest("GET", "/api/v1/activities/%01", nil)
	bad.SetPathValue("id", "\x01")
	if err := checkRequestText(bad, "/api/v1/activities/{id}"); err == nil {
		t.Error("a control character in a path parameter passes")
	}
}
