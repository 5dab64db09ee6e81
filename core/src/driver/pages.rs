//! Page walks: the one walk every surface uses, typed or by name.

use super::{Driver, Transport};
use crate::engine::{ApiCall, JsonCall};
use crate::{Paginated, Result};

/// A call whose result says how to ask for the next page.
pub trait Pageable: ApiCall + Clone {
    /// The call for the page after `output` (this call's result), or `None`
    /// after the last page. Errors when a full page carries no cursor.
    fn next_page(&self, output: &Self::Output) -> Result<Option<Self>>;
}

impl<O: Paginated + Clone + Send> Pageable for O {
    fn next_page(&self, output: &O::Output) -> Result<Option<O>> {
        Paginated::next_page(self, output)
    }
}

impl Pageable for JsonCall {
    /// The next params come from these params and the (already conformed)
    /// result; only the next page's params are read, once.
    fn next_page(&self, output: &serde_json::Value) -> Result<Option<JsonCall>> {
        let entry = self.entry();
        let Some(rule) = entry.page_rule() else {
            return Ok(None);
        };
        match crate::pagination::next_params(entry.spec, rule, self.params(), output)? {
            Some(next) => Ok(Some(JsonCall::of(entry, next)?)),
            None => Ok(None),
        }
    }
}

/// A walk through the pages of a paginated call: each page is one engine
/// call (budget, retries, refresh), decoded once. Owns what it needs (a
/// clone of the driver), so a C cursor or a JS iterator can keep it.
///
/// A page that fails leaves the walk where it was: `next` asks for the same
/// page again.
pub struct PageWalk<T: Transport, P: Pageable> {
    driver: Driver<T>,
    next: Option<P>,
    pages: u64,
}

impl<T: Transport, P: Pageable> PageWalk<T, P> {
    pub(crate) fn new(driver: Driver<T>, first: P) -> Self {
        PageWalk {
            driver,
            next: Some(first),
            pages: 0,
        }
    }

    /// The next page, or `None` after the last.
    pub async fn next(&mut self) -> Result<Option<P::Output>> {
        let Some(call) = &self.next else {
            return Ok(None);
        };
        let page = self.driver.run(call.clone()).await?;
        let next = call.next_page(&page)?;
        self.next = next;
        self.pages += 1;
        Ok(Some(page))
    }

    /// The call the next page will make, `None` once the walk is over: save
    /// it to resume a walk later (the CLI's export cursor file).
    pub fn cursor(&self) -> Option<&P> {
        self.next.as_ref()
    }

    /// How many pages were fetched so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// The walk as a stream of pages (for `futures` users).
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<P::Output>> {
        futures_util::stream::try_unfold(self, |mut walk| async move {
            Ok(walk.next().await?.map(|page| (page, walk)))
        })
    }
}
