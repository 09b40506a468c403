//! 405 Method Not Allowed as the API's other refusals: problem+json with a stable code and an
//! `Allow` header listing the methods the path answers.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::OpenApi as Spec;

use crate::error::ApiError;

/// The methods each documented route answers, by route pattern (`/api/v1/fonds/{code}`).
#[derive(Debug, Default)]
pub struct Methods(HashMap<String, Vec<Method>>);

impl Methods {
    /// The routes and methods of the API description.
    pub fn of(spec: &Spec) -> Self {
        let routes = spec
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let declared = [
                    (Method::GET, item.get.is_some()),
                    (Method::POST, item.post.is_some()),
                    (Method::PUT, item.put.is_some()),
                    (Method::PATCH, item.patch.is_some()),
                    (Method::DELETE, item.delete.is_some()),
                ];
                let methods = declared
                    .into_iter()
                    .filter_map(|(method, present)| present.then_some(method))
                    .collect();
                (path.clone(), methods)
            })
            .collect();
        Self(routes)
    }

    /// The same, with routes outside the description that answer GET only.
    pub fn with_get(mut self, routes: &[&str]) -> Self {
        for route in routes {
            self.0.insert((*route).to_owned(), vec![Method::GET]);
        }
        self
    }

    /// The methods `route` answers, or `None` for a route not described.
    fn of_route(&self, route: &str) -> Option<&[Method]> {
        self.0.get(route).map(Vec::as_slice)
    }
}

/// The `Allow` value of these methods: a GET route also answers HEAD.
fn allow_value(methods: &[Method]) -> String {
    let mut names = Vec::new();
    for method in methods {
        names.push(method.as_str());
        if *method == Method::GET {
            names.push("HEAD");
        }
    }
    names.join(", ")
}

/// The 405 problem, with `Allow`.
fn method_not_allowed(method: &Method, allow: &str) -> Response {
    let mut response = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("Đường dẫn này không nhận phương thức {method}; chỉ nhận: {allow}."),
        format!("This path does not answer {method}; it answers: {allow}."),
    )
    .into_response();
    if let Ok(value) = HeaderValue::from_str(allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// Middleware: a method the matched route does not answer is refused with 405 before the
/// request is authenticated or decided.
pub async fn refuse_other_methods(
    State(methods): State<Arc<Methods>>,
    request: Request,
    next: Next,
) -> Response {
    let allowed = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|route| methods.of_route(route.as_str()));
    if let Some(allowed) = allowed {
        let method = request.method();
        let answered =
            allowed.contains(method) || (*method == Method::HEAD && allowed.contains(&Method::GET));
        if !answered {
            return method_not_allowed(method, &allow_value(allowed));
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_get_route_also_allows_head() {
        assert_eq!(allow_value(&[Method::GET, Method::POST]), "GET, HEAD, POST");
        assert_eq!(allow_value(&[Method::POST]), "POST");
    }
}
