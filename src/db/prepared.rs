//! Statements kept prepared on their connection although diesel would not cache them.
//!
//! Diesel marks every upsert (`ON CONFLICT DO UPDATE`), every `UPDATE` and every raw
//! `sql_query` as unsafe to cache, because for some of them the SQL text depends on the
//! values (an all-`None` changeset, for one). diesel-async then prepares such a statement
//! again on every call: one extra round trip to PostgreSQL each time. [`Prepared`] is for
//! statements whose text never depends on their values: it lets the connection cache them by
//! their SQL text (never by Rust type), so a different text is simply a different entry.

use diesel::{
    pg::Pg,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    QueryResult,
};

/// A statement whose SQL text depends only on its shape, cached by that text.
#[derive(Debug, Clone, Copy)]
pub struct Prepared<Q>(pub Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

/// No static id: the cache keys the statement by its SQL text and bind types.
impl<Q> QueryId for Prepared<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

/// Wraps a statement whose SQL text never depends on its values so it stays prepared.
pub fn prepared<Q>(query: Q) -> Prepared<Q> {
    Prepared(query)
}
