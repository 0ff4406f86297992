//! Segments clipped to a rectangle: a path that leaves the drawn range (or diverges to
//! 1e300) is drawn up to the edge, at a cost that does not depend on how far it went. The
//! dashboard's view and `plot` both draw paths through it.

/// The part of the segment from `a` to `b` inside `[0, w] × [0, h]` (Liang–Barsky), if any.
pub(crate) fn clip(
    a: (f64, f64),
    b: (f64, f64),
    (w, h): (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0), (dx, w - a.0), (-dy, a.1), (dy, h - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    (t0 <= t1 && t0.is_finite() && t1.is_finite()).then(|| (at(t0), at(t1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_their_inside_part() {
        let inside = Some(((5.0, 5.0), (5.0, 5.0)));
        assert_eq!(clip((5.0, 5.0), (5.0, 5.0), (10.0, 10.0)), inside);
        assert_eq!(
            clip((-5.0, 5.0), (15.0, 5.0), (10.0, 10.0)),
            Some(((0.0, 5.0), (10.0, 5.0)))
        );
        assert_eq!(clip((-5.0, -5.0), (-1.0, 20.0), (10.0, 10.0)), None);
    }
}
