//! Bounds on what clients can make the daemon hold: the global memory budget for in-flight data and the
//! per-listener connection cap.
//!
//! Every connection and request may hold [`FREE_PER_LEASE`] bytes without asking (bounded by the connection cap),
//! so that ordinary small requests are served even while large uploads have used the budget up; beyond that,
//! bytes are leased from one process-wide budget. A request that cannot lease is answered 503; a pull
//! connection waits (backpressure). This module never sees the bytes it counts.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Bytes each lease holds without taking from the budget.
pub const FREE_PER_LEASE: usize = 64 * 1024;

/// The process-wide budget of in-flight bytes.
#[derive(Clone, Debug)]
pub struct Budget {
    sem: Arc<Semaphore>,
    total: usize,
    /// Leases refused (HTTP 503) because the budget was used up.
    pub refused: Arc<AtomicU64>,
}

impl Budget {
    /// A budget of `total` bytes.
    pub fn new(total: usize) -> Self {
        let total = total.min(Semaphore::MAX_PERMITS);
        Budget {
            sem: Arc::new(Semaphore::new(total)),
            total,
            refused: Arc::default(),
        }
    }

    /// Bytes not leased now.
    pub fn available(&self) -> usize {
        self.sem.available_permits()
    }

    /// The configured size.
    pub fn total(&self) -> usize {
        self.total
    }

    /// A new lease holding nothing.
    pub fn lease(&self) -> Lease {
        Lease {
            budget: self.clone(),
            permit: None,
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(256 << 20)
    }
}

/// What one connection or request holds of the budget; given back when dropped.
#[derive(Debug)]
pub struct Lease {
    budget: Budget,
    permit: Option<OwnedSemaphorePermit>,
}

impl Lease {
    fn held(&self) -> usize {
        self.permit.as_ref().map_or(0, |p| p.num_permits())
    }

    fn need(&self, bytes: usize) -> usize {
        bytes
            .saturating_sub(FREE_PER_LEASE)
            .saturating_sub(self.held())
    }

    fn add(&mut self, p: OwnedSemaphorePermit) {
        match self.permit.as_mut() {
            Some(h) => h.merge(p),
            None => self.permit = Some(p),
        }
    }

    /// Makes the lease cover `bytes` without waiting; false (and counted) when the budget cannot.
    pub fn try_cover(&mut self, bytes: usize) -> bool {
        let need = self.need(bytes);
        if need == 0 {
            return true;
        }
        let Ok(n) = u32::try_from(need) else {
            self.budget.refused.fetch_add(1, Relaxed);
            return false;
        };
        match self.budget.sem.clone().try_acquire_many_owned(n) {
            Ok(p) => {
                self.add(p);
                true
            }
            Err(_) => {
                self.budget.refused.fetch_add(1, Relaxed);
                false
            }
        }
    }

    /// Makes the lease cover `bytes`, waiting for the budget (backpressure). `bytes` above the whole budget are
    /// covered up to the budget.
    pub async fn cover(&mut self, bytes: usize) {
        let need = self
            .need(bytes)
            .min(self.budget.total.saturating_sub(self.held()));
        if need == 0 {
            return;
        }
        let n = u32::try_from(need).unwrap_or(u32::MAX);
        if let Ok(p) = self.budget.sem.clone().acquire_many_owned(n).await {
            self.add(p);
        }
    }

    /// Gives back what is held beyond `bytes`.
    pub fn shrink_to(&mut self, bytes: usize) {
        let keep = bytes.saturating_sub(FREE_PER_LEASE);
        if let Some(p) = self.permit.as_mut() {
            let extra = p.num_permits().saturating_sub(keep);
            if extra > 0 {
                drop(p.split(extra));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leases_take_beyond_the_free_part_and_give_back() {
        let b = Budget::new(1 << 20);
        let mut a = b.lease();
        assert!(a.try_cover(FREE_PER_LEASE));
        assert_eq!(b.available(), 1 << 20);
        assert!(a.try_cover(FREE_PER_LEASE + 1000));
        assert_eq!(b.available(), (1 << 20) - 1000);
        let mut c = b.lease();
        assert!(!c.try_cover(FREE_PER_LEASE + (1 << 20)));
        assert_eq!(b.refused.load(Relaxed), 1);
        a.shrink_to(0);
        assert_eq!(b.available(), 1 << 20);
        assert!(a.try_cover(FREE_PER_LEASE + 10));
        drop(a);
        assert_eq!(b.available(), 1 << 20);
    }
}
