//! What the shell remembers about batch operations: the plan shown in the
//! plan dialog, waiting for Confirm, and the plans applied in this run, for
//! "Undo last batch". The UI names a plan by a token and never sends plan
//! contents back, so what is applied is exactly what was planned and shown.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use lectern::batch::{Applied, Plan};

/// How many applied plans "Undo last batch" can walk back.
const UNDO_DEPTH: usize = 20;

/// A plan waiting for Confirm.
#[derive(Debug)]
pub struct Pending {
    /// The plan shown.
    pub plan: Plan,
    /// When it restores a journal entry: the entry's id (applied through the
    /// journal, which then marks it restored).
    pub restore: Option<String>,
}

#[derive(Debug, Default)]
struct Inner {
    next: u32,
    pending: Option<(u32, Pending)>,
    applied: Vec<Applied>,
}

/// Managed Tauri state for batch operations.
#[derive(Debug, Default)]
pub struct BatchState {
    inner: Mutex<Inner>,
}

impl BatchState {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keep `plan` until it is confirmed or discarded (replacing any other
    /// plan waiting); its token.
    pub fn hold(&self, plan: Plan) -> u32 {
        self.hold_pending(Pending {
            plan,
            restore: None,
        })
    }

    /// Keep a plan (or a journal restore) until it is confirmed or discarded.
    pub fn hold_pending(&self, pending: Pending) -> u32 {
        let mut g = self.lock();
        g.next = g.next.wrapping_add(1);
        let token = g.next;
        g.pending = Some((token, pending));
        token
    }

    /// Take the plan with `token`, if it is still the one waiting.
    pub fn take(&self, token: u32) -> Option<Pending> {
        let mut g = self.lock();
        match &g.pending {
            Some((t, _)) if *t == token => g.pending.take().map(|(_, p)| p),
            _ => None,
        }
    }

    /// Drop the plan with `token` (Cancel): nothing is written.
    pub fn discard(&self, token: u32) {
        drop(self.take(token));
    }

    /// Remember an applied plan for "Undo last batch".
    pub fn push_applied(&self, applied: Applied) {
        let mut g = self.lock();
        g.applied.push(applied);
        if g.applied.len() > UNDO_DEPTH {
            g.applied.remove(0);
        }
    }

    /// The last plan applied to the site at `root`, taken off the stack.
    /// (Plans of a site opened earlier stay, for when it is opened again.)
    pub fn pop_applied(&self, root: &Path) -> Option<Applied> {
        let mut g = self.lock();
        let i = g.applied.iter().rposition(|a| a.plan.root == root)?;
        Some(g.applied.remove(i))
    }

    /// Forget applied plans whose journal entry is `id` (it was restored from
    /// the journal, so undoing it again would find the files changed).
    pub fn forget_journal(&self, id: &str) {
        self.lock().applied.retain(|a| {
            a.journal
                .as_ref()
                .and_then(|j| j.file_name())
                .is_none_or(|n| n != id)
        });
    }

    /// The title of the plan "Undo last batch" would undo on the site at `root`.
    pub fn undo_title(&self, root: &Path) -> Option<String> {
        self.lock()
            .applied
            .iter()
            .rev()
            .find(|a| a.plan.root == root)
            .map(|a| a.plan.title.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_latest_plan_can_be_confirmed_and_only_once() {
        let s = BatchState::default();
        let a = s.hold(Plan::new("a", "/site"));
        let b = s.hold(Plan::new("b", "/site"));
        assert!(s.take(a).is_none(), "replaced by b");
        assert_eq!(s.take(b).map(|p| p.plan.title).as_deref(), Some("b"));
        assert!(s.take(b).is_none());
        let c = s.hold(Plan::new("c", "/site"));
        s.discard(c);
        assert!(s.take(c).is_none());
    }

    #[test]
    fn undo_walks_back_the_applied_plans_of_the_open_site_in_order() {
        let s = BatchState::default();
        for (t, root) in [("one", "/site"), ("two", "/site"), ("other", "/elsewhere")] {
            s.push_applied(Applied {
                plan: Plan::new(t, root),
                journal: None,
            });
        }
        let site = Path::new("/site");
        assert_eq!(s.undo_title(site).as_deref(), Some("two"));
        assert_eq!(
            s.pop_applied(site).map(|a| a.plan.title).as_deref(),
            Some("two")
        );
        assert_eq!(s.undo_title(site).as_deref(), Some("one"));
        assert_eq!(
            s.pop_applied(site).map(|a| a.plan.title).as_deref(),
            Some("one")
        );
        assert!(s.pop_applied(site).is_none());
        assert_eq!(
            s.undo_title(Path::new("/elsewhere")).as_deref(),
            Some("other")
        );
        s.push_applied(Applied {
            plan: Plan::new("three", "/site"),
            journal: Some("/site/.lectern/trash/20300101-x".into()),
        });
        s.forget_journal("20300101-x");
        assert!(
            s.undo_title(site).is_none(),
            "restored from the journal: not undoable again"
        );
    }
}
