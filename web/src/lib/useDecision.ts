import { ref } from 'vue'
import { filingApi, termApi } from '../api/filings'
import type { SecretaryFiling, TermChange } from '../api/filings'

export type DecisionMode = 'approve' | 'return'

// useDecision is the state of the approve/return dialog (DecisionDialog)
// shared by the 备案审批 page and a Party org's 书记与换届 tab: what is
// decided, shown as its subject, and the call that decides it.
export function useDecision() {
  const decision = ref<{ open: boolean; mode: DecisionMode; subject: string; decide: (t: string) => Promise<unknown> }>({
    open: false,
    mode: 'approve',
    subject: '',
    decide: async () => undefined,
  })
  function decideFiling(f: SecretaryFiling, mode: DecisionMode) {
    decision.value = {
      open: true,
      mode,
      subject: `${f.party_org_name} · ${f.kind_name}（${f.person_name}）`,
      decide: (t) => (mode === 'approve' ? filingApi.approve(f.id, t) : filingApi.return(f.id, t)),
    }
  }
  function decideChange(c: TermChange, mode: DecisionMode) {
    decision.value = {
      open: true,
      mode,
      subject: `${c.party_org_name} · ${c.kind_name}（${c.new_date}）`,
      decide: (t) => (mode === 'approve' ? termApi.approveChange(c.id, t) : termApi.returnChange(c.id, t)),
    }
  }
  return { decision, decideFiling, decideChange }
}
