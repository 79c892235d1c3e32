//! LOC (RFC 1876): a position as degrees, minutes and seconds, an altitude and three
//! sizes in metres, written as BIND writes them (every field, sizes included).

use serde_json::Number;

use super::reader::Reader;
use super::{RdataFields, Shown};

/// 2^31: the equator and the prime meridian (RFC 1876 §2).
const ORIGIN: u32 = 1 << 31;
/// 100 000 m below the reference spheroid, in centimetres: altitude zero on the wire.
const ALTITUDE_BASE: i64 = 10_000_000;

pub(super) fn loc(r: &mut Reader<'_>) -> Option<Shown> {
    let version = r.u8()?;
    if version != 0 {
        return None;
    }
    let (size, horizontal, vertical) = (
        centimetres(r.u8()?)?,
        centimetres(r.u8()?)?,
        centimetres(r.u8()?)?,
    );
    let (latitude, longitude, altitude) = (r.u32()?, r.u32()?, r.u32()?);
    let (lat_text, lat) = angle(latitude, 90, ['N', 'S'])?;
    let (long_text, long) = angle(longitude, 180, ['E', 'W'])?;
    let altitude = i64::from(altitude) - ALTITUDE_BASE;
    let sign = if altitude < 0 { "-" } else { "" };
    let text = format!(
        "{lat_text} {long_text} {sign}{}.{:02}m {} {} {}",
        altitude.unsigned_abs() / 100,
        altitude.unsigned_abs() % 100,
        metres_text(size),
        metres_text(horizontal),
        metres_text(vertical)
    );
    let number = |v: f64| Number::from_f64(v);
    let metres = |cm: u64| number(cm as f64 / 100.0);
    Some((
        text,
        RdataFields::Loc {
            version,
            latitude: number(lat)?,
            longitude: number(long)?,
            altitude: number(altitude as f64 / 100.0)?,
            size: metres(size)?,
            horizontal_precision: metres(horizontal)?,
            vertical_precision: metres(vertical)?,
        },
    ))
}

/// A size or precision octet: mantissa and power of ten, each 0-9, in centimetres.
fn centimetres(octet: u8) -> Option<u64> {
    let (mantissa, exponent) = (octet >> 4, octet & 0x0f);
    (mantissa <= 9 && exponent <= 9).then(|| u64::from(mantissa) * 10u64.pow(u32::from(exponent)))
}

/// Whole metres when the value has no centimetres below a metre's power of ten, as BIND
/// and the RFC's examples write it; `0.NN` below one metre.
fn metres_text(cm: u64) -> String {
    if cm >= 100 && cm.is_multiple_of(100) {
        format!("{}m", cm / 100)
    } else {
        format!("{}.{:02}m", cm / 100, cm % 100)
    }
}

/// An angle in thousandths of an arc second from `ORIGIN`: the text `d m s.fff H` and
/// signed degrees; None beyond `limit` degrees.
fn angle(value: u32, limit: u64, hemispheres: [char; 2]) -> Option<(String, f64)> {
    let (hemisphere, offset) = if value >= ORIGIN {
        (hemispheres[0], u64::from(value - ORIGIN))
    } else {
        (hemispheres[1], u64::from(ORIGIN - value))
    };
    if offset > limit * 3_600_000 {
        return None;
    }
    let (thousandths, seconds) = (offset % 1000, offset / 1000 % 60);
    let (minutes, degrees) = (offset / 60_000 % 60, offset / 3_600_000);
    let signed = offset as f64 / 3_600_000.0 * if hemisphere == hemispheres[0] { 1.0 } else { -1.0 };
    Some((
        format!("{degrees} {minutes} {seconds}.{thousandths:03} {hemisphere}"),
        signed,
    ))
}
