//! Ranking agencies among themselves, and the agencies the office's thresholds flag for
//! supervision (监督意见书) or an interview (约谈).
use super::{Figures, Flag, Thresholds};
use crate::warehouse::regions::Regions;

/// Ranks a list by loss rate, low to high, with the documented tie rule (1, 2, 2, 4).
pub fn rerank(v: &mut [Figures]) {
    let rates: Vec<Option<f64>> = v.iter().map(|f| if f.concluded > 0 { f.loss_rate } else { None }).collect();
    for (i, f) in v.iter_mut().enumerate() {
        f.loss_rank = rates[i].map(|r| 1 + rates.iter().flatten().filter(|o| **o < r).count() as i64);
    }
}

pub fn flag_agencies(agencies: &[Figures], regions: &Regions, t: &Thresholds) -> Vec<Flag> {
    let mut out = Vec::new();
    for a in agencies {
        let interview_rate = a.concluded >= t.interview_min_concluded && a.loss_rate.is_some_and(|r| r >= t.interview_loss_rate);
        let (action, why) = if a.lost >= t.interview_losses || interview_rate {
            let why = if a.lost >= t.interview_losses {
                format!("败诉{}件，达到约谈标准（{}件）", a.lost, t.interview_losses)
            } else {
                format!(
                    "败诉率{:.2}%（{}/{}），达到约谈标准（{:.0}%）",
                    a.loss_rate.unwrap_or(0.0) * 100.0,
                    a.lost,
                    a.concluded,
                    t.interview_loss_rate * 100.0
                )
            };
            ("约谈", why)
        } else if a.lost >= t.letter_losses || a.recon_corrected >= t.letter_corrections {
            let mut parts = Vec::new();
            if a.lost >= t.letter_losses {
                parts.push(format!("败诉{}件", a.lost));
            }
            if a.recon_corrected >= t.letter_corrections {
                parts.push(format!("复议被纠错{}件", a.recon_corrected));
            }
            ("监督意见书", format!("{}，达到制发行政执法监督意见书标准", parts.join("、")))
        } else {
            continue;
        };
        out.push(Flag {
            code: a.code.clone(),
            agency: a.name.clone(),
            region_name: regions.get(&a.code).map(|r| r.name.clone()).unwrap_or_else(|| a.code.clone()),
            lost: a.lost,
            concluded: a.concluded,
            loss_rate: a.loss_rate,
            recon_corrected: a.recon_corrected,
            action: action.into(),
            why,
        });
    }
    out.sort_by(|a, b| {
        (a.action != "约谈", -a.lost, -a.recon_corrected, &a.agency).cmp(&(b.action != "约谈", -b.lost, -b.recon_corrected, &b.agency))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rerank_shares_the_lowest_rank() {
        let mk = |rate: Option<f64>, concluded| Figures { loss_rate: rate, concluded, ..Default::default() };
        let mut v = vec![mk(Some(0.1), 10), mk(Some(0.2), 5), mk(Some(0.2), 10), mk(Some(0.3), 3), mk(None, 0)];
        rerank(&mut v);
        let ranks: Vec<Option<i64>> = v.iter().map(|f| f.loss_rank).collect();
        assert_eq!(ranks, vec![Some(1), Some(2), Some(2), Some(4), None]);
    }
}
