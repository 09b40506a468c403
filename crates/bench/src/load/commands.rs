//! `commands`: each task opens a fonds of its own, then records files in it, one durable
//! command per request; every answer must be 201 Created.

use bytes::Bytes;
use hyper::Method;
use serde_json::json;

use super::Load;
use super::client::{Call, Conn, shared_reqwest};
use super::runner::{self, Planned, Report};

/// Names of this run's fonds and organ ids, unique per run so that runs can share a store.
#[derive(Debug, Clone)]
struct Names {
    run: u32,
}

impl Names {
    fn fonds(&self, task: usize) -> String {
        format!("BENCH-{}-{task:02}", self.run)
    }

    fn organ(&self, task: usize) -> String {
        format!("9{:06}.{task:02}", self.run)
    }
}

fn open_body(names: &Names, task: usize, unit: &str) -> Bytes {
    Bytes::from(
        json!({
            "fonds_code": names.fonds(task),
            "name": format!("Phông đo tải {} số {task}", names.run),
            "kind": "state",
            "creator_organ_id": names.organ(task),
            "creator_name": "Ủy ban nhân dân xã Bộc Bố",
            "unit_code": unit,
            "custodian": format!("UBND-{unit}"),
            "opened_on": "2003-07-01"
        })
        .to_string(),
    )
}

fn file_body(names: &Names, task: usize, n: u64, unit: &str) -> Bytes {
    Bytes::from(
        json!({
            "file_code": format!("{}.2024.{}", names.organ(task), n + 1),
            "title": format!("Hồ sơ số {} về công tác tổ chức cán bộ của Ủy ban nhân dân xã Bộc Bố năm 2024", n + 1),
            "start_date": "2024-01-05",
            "end_date": "2024-12-20",
            "retention": { "code": if n.is_multiple_of(3) { "01" } else { "06" } },
            "access": "01",
            "carrier": "paper",
            "box_number": (n / 30 + 1).to_string(),
            "sheets": 5 + n % 240,
            "language": "Tiếng Việt",
            "custodian": format!("UBND-{unit}")
        })
        .to_string(),
    )
}

/// Opens one fonds per task under `unit`, then loads `POST /api/v1/fonds/{code}/files`.
pub async fn run(load: &Load, unit: &str) -> Result<Report, String> {
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis()
        % 1_000_000;
    let names = Names { run: run as u32 };
    let mut conn = Conn::new(load.client, load.addr, &shared_reqwest()?);
    for task in 0..load.clients {
        let (status, body) = conn
            .send(&Call::post("/api/v1/fonds", open_body(&names, task, unit)))
            .await?;
        if status != 201 {
            return Err(format!(
                "opening fonds {}: {status} {}",
                names.fonds(task),
                String::from_utf8_lossy(&body)
            ));
        }
    }
    drop(conn);
    let unit = unit.to_owned();
    let paths: Vec<String> = (0..load.clients)
        .map(|task| format!("/api/v1/fonds/{}/files", names.fonds(task)))
        .collect();
    runner::run(load, move |task, n| Planned {
        method: Method::POST,
        path: paths[task].clone(),
        body: Some(file_body(&names, task, n, &unit)),
        expect: 201,
    })
    .await
}
