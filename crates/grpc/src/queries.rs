//! The `Queries` service: custody, custody history and inventory lists, from the read models,
//! with the same clearance rules as the HTTP reads.

use bangiao_projections::query::inventory::{self, Filter, Scope};
use bangiao_projections::query::{custody, page_size};
use bangiao_server::AppState;
use bangiao_server::error::ApiError;
use bangiao_server::reads::{cleared_for, query, query_point};
use chrono::NaiveDate;
use tonic::{Request, Response, Status};

use crate::authz::{Call, authorize};
use crate::convert;
use crate::pb;
use crate::pb::list_inventory_request::Scope as RequestScope;
use crate::status::{from_api, invalid};

/// The queries service over the service's state.
pub struct QueriesApi {
    state: AppState,
}

impl QueriesApi {
    /// The service over `state`.
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    /// The read models' position after waiting (bounded) for `wait_for`, refused as
    /// `?wait_for=` refuses it: beyond the log's end, or not reached in time.
    async fn projected(&self, wait_for: Option<u64>) -> Result<u64, Status> {
        bangiao_server::reads::projected(&self.state, wait_for)
            .await
            .map_err(api)
    }
}

fn api(error: ApiError) -> Status {
    from_api(&error)
}

fn not_found(code: &str) -> Status {
    api(ApiError::not_found("hồ sơ", "file", code))
}

#[tonic::async_trait]
impl pb::queries_server::Queries for QueriesApi {
    async fn get_custody(
        &self,
        request: Request<pb::GetCustodyRequest>,
    ) -> Result<Response<pb::Custody>, Status> {
        authorize(
            &self.state,
            &request,
            Call::read("/api/v1/files/{code}/custody"),
        )
        .await?;
        let request = request.into_inner();
        let as_of = match request.as_of.as_deref() {
            None => None,
            Some(text) => Some(text.parse::<NaiveDate>().map_err(|_| {
                invalid(
                    "invalid_query",
                    "as_of phải là một ngày YYYY-MM-DD.",
                    "as_of must be a date YYYY-MM-DD.",
                )
            })?),
        };
        let position = self.projected(request.wait_for).await?;
        let code = request.file_code;
        let found = query_point(&self.state, |c| match as_of {
            Some(day) => custody::as_of(c, &code, day),
            None => custody::now(c, &code),
        })
        .map_err(api)?;
        let found = found.ok_or_else(|| not_found(&code))?;
        Ok(Response::new(convert::custody(found, position)))
    }

    async fn get_custody_history(
        &self,
        request: Request<pb::GetCustodyHistoryRequest>,
    ) -> Result<Response<pb::CustodyHistory>, Status> {
        authorize(
            &self.state,
            &request,
            Call::read("/api/v1/files/{code}/history"),
        )
        .await?;
        let request = request.into_inner();
        let position = self.projected(request.wait_for).await?;
        let key = request.file_code.clone();
        let spans = query(&self.state, move |c| custody::history(c, &key))
            .await
            .map_err(api)?;
        if spans.is_empty() {
            return Err(not_found(&request.file_code));
        }
        Ok(Response::new(pb::CustodyHistory {
            spans: spans.into_iter().map(convert::custody_span).collect(),
            projection_position: position,
        }))
    }

    async fn list_inventory(
        &self,
        request: Request<pb::ListInventoryRequest>,
    ) -> Result<Response<pb::InventoryPage>, Status> {
        let route = match request.get_ref().scope {
            Some(RequestScope::UnitCode(_)) => "/api/v1/units/{code}/inventory",
            _ => "/api/v1/fonds/{code}/inventory",
        };
        let who = authorize(&self.state, &request, Call::read(route)).await?;
        let request = request.into_inner();
        let (scope, scope_name, code) = match request.scope {
            Some(RequestScope::FondsCode(code)) => (Scope::Fonds(code.clone()), "fonds", code),
            Some(RequestScope::UnitCode(code)) => (Scope::Unit(code.clone()), "unit", code),
            None => {
                return Err(invalid(
                    "invalid_query",
                    "Cần fonds_code hoặc unit_code.",
                    "Give fonds_code or unit_code.",
                ));
            }
        };
        let given = request.filter.unwrap_or_default();
        let filter = Filter {
            retention: given.retention,
            access: given.access,
            year_from: given.year_from,
            year_to: given.year_to,
            status: given.status,
            custodian: given.custodian,
            unfinished: given.unfinished,
            q: given.q,
            cleared_fonds: cleared_for(&self.state, &who).await.map_err(api)?,
        };
        let position = self.projected(request.wait_for).await?;
        // 0 is proto3's unset: the default size; more than the maximum is refused.
        let limit =
            page_size((request.limit > 0).then_some(request.limit)).map_err(|e| api(e.into()))?;
        let after = request.after;
        let (totals, items) = query(&self.state, move |c| {
            let totals = inventory::totals(c, &scope, &filter)?;
            Ok((totals, inventory::page(c, &scope, &filter, after, limit)?))
        })
        .await
        .map_err(api)?;
        let next = (items.len() == limit as usize)
            .then(|| items.last().map(|r| r.seq))
            .flatten();
        Ok(Response::new(pb::InventoryPage {
            scope: scope_name.to_owned(),
            code,
            totals: Some(convert::totals(totals)),
            items: items.into_iter().map(convert::file_row).collect(),
            next,
            projection_position: position,
        }))
    }
}
