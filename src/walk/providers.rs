//! Well-known DNS and CDN infrastructure, recognised from names so that a trace can
//! say "Route 53 name server" or "CloudFront distribution" next to them.
//!
//! A pattern is matched against the whole lower-case name without its final dot: `*`
//! stands for any run of characters (dots included), `#` for one or more digits.

/// (pattern, note), first match wins.
const PROVIDERS: &[(&str, &str)] = &[
    ("ns-#.awsdns-#.com", "Amazon Route 53 name server"),
    ("ns-#.awsdns-#.net", "Amazon Route 53 name server"),
    ("ns-#.awsdns-#.org", "Amazon Route 53 name server"),
    ("ns-#.awsdns-#.co.uk", "Amazon Route 53 name server"),
    ("*.cloudfront.net", "Amazon CloudFront (CDN)"),
    ("*.s3-website-*.amazonaws.com", "Amazon S3 website endpoint"),
    ("*.s3-website.*.amazonaws.com", "Amazon S3 website endpoint"),
    ("*.s3.amazonaws.com", "Amazon S3 bucket endpoint"),
    ("*.s3.*.amazonaws.com", "Amazon S3 bucket endpoint"),
    ("*.s3-*.amazonaws.com", "Amazon S3 bucket endpoint"),
    ("*.elb.amazonaws.com", "AWS Elastic Load Balancing"),
    ("*.ns.cloudflare.com", "Cloudflare DNS"),
    ("*.cdn.cloudflare.net", "Cloudflare CDN"),
    ("*.akam.net", "Akamai DNS"),
    ("*.akamaiedge.net", "Akamai CDN"),
    ("*.edgekey.net", "Akamai CDN"),
    ("*.edgesuite.net", "Akamai CDN"),
    ("*.akamai.net", "Akamai CDN"),
    ("*.fastly.net", "Fastly CDN"),
    ("*.fastlylb.net", "Fastly CDN"),
    ("ns#-#.azure-dns.com", "Azure DNS"),
    ("ns#-#.azure-dns.net", "Azure DNS"),
    ("ns#-#.azure-dns.org", "Azure DNS"),
    ("ns#-#.azure-dns.info", "Azure DNS"),
    ("*.azureedge.net", "Azure CDN"),
    ("*.azurefd.net", "Azure Front Door"),
    ("*.trafficmanager.net", "Azure Traffic Manager"),
    ("*.cloudapp.azure.com", "Azure cloud service"),
    ("ns-cloud-*.googledomains.com", "Google Cloud DNS"),
    ("*.github.io", "GitHub Pages"),
    ("*.netlify.app", "Netlify"),
    ("*.netlify.com", "Netlify"),
    ("*.vercel-dns.com", "Vercel"),
    ("*.vercel.app", "Vercel"),
];

/// The provider note for a presentation-format name, if it is well known.
pub(crate) fn note(name: &str) -> Option<&'static str> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    PROVIDERS
        .iter()
        .find(|(pattern, _)| crate::dns::glob::matches_with_digits(pattern, &name))
        .map(|(_, note)| *note)
}

#[cfg(test)]
mod tests {
    use super::note;

    #[test]
    fn recognises_the_big_providers() {
        for (name, expected) in [
            ("ns-1234.awsdns-56.org.", "Amazon Route 53 name server"),
            ("NS-7.AWSDNS-01.CO.UK", "Amazon Route 53 name server"),
            ("d111abcdef8.cloudfront.net.", "Amazon CloudFront (CDN)"),
            (
                "bucket.s3-website-us-east-1.amazonaws.com.",
                "Amazon S3 website endpoint",
            ),
            (
                "bucket.s3-website.eu-central-1.amazonaws.com.",
                "Amazon S3 website endpoint",
            ),
            ("bucket.s3.amazonaws.com.", "Amazon S3 bucket endpoint"),
            (
                "my-lb-1234.us-east-1.elb.amazonaws.com.",
                "AWS Elastic Load Balancing",
            ),
            ("kate.ns.cloudflare.com.", "Cloudflare DNS"),
            ("www.example.com.edgekey.net.", "Akamai CDN"),
            ("dualstack.example.map.fastly.net.", "Fastly CDN"),
            ("ns1-03.azure-dns.com.", "Azure DNS"),
            ("ns-cloud-a1.googledomains.com.", "Google Cloud DNS"),
            ("octocat.github.io.", "GitHub Pages"),
            ("site.netlify.app.", "Netlify"),
            ("cname.vercel-dns.com.", "Vercel"),
        ] {
            assert_eq!(note(name), Some(expected), "{name}");
        }
    }

    #[test]
    fn leaves_other_names_alone() {
        for name in [
            "ns-abc.awsdns-1.org.",
            "ns-1.awsdns-.org.",
            "cloudfront.net.",
            "www.example.com.",
            "evilcloudfront.net.",
        ] {
            assert_eq!(note(name), None, "{name}");
        }
    }
}
