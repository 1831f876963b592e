"""Address policy: which hosts the fetcher may connect to, checked after resolution."""
import ipaddress

import pytest

from transforms import netguard


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::",
])
def test_internal_addresses_are_not_public(address):
    assert not netguard.is_public_ip(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_global_addresses_are_public(address):
    assert netguard.is_public_ip(ipaddress.ip_address(address))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "0x7f.0.0.1", "0177.0.0.1",
                                  "127.1", "[::1]", "[::ffff:127.0.0.1]", "169.254.169.254"])
def test_loopback_and_metadata_hosts_are_refused_however_written(host):
    _scheme, name, port = netguard.split_target(f"http://{host}/x")
    with pytest.raises(netguard.AddressRefused) as refused:
        netguard.resolve_allowed(name, port, allow_private=False)
    assert refused.value.reason == "blocked_address"


def test_userinfo_does_not_hide_the_real_host():
    _scheme, host, port = netguard.split_target("http://example.com@127.0.0.1:8080/x")
    assert (host, port) == ("127.0.0.1", 8080)
    with pytest.raises(netguard.AddressRefused):
        netguard.resolve_allowed(host, port, allow_private=False)


def test_private_networks_can_be_allowed():
    assert netguard.resolve_allowed("127.0.0.1", 80, allow_private=True) == ["127.0.0.1"]


@pytest.mark.parametrize("url,reason", [
    ("file:///etc/passwd", "bad_scheme"), ("ftp://example.com/a", "bad_scheme"),
    ("gopher://127.0.0.1/", "bad_scheme"), ("http:///nohost", "bad_url"), ("http://[::1/x", "bad_url"),
])
def test_only_http_urls_with_hosts_are_fetched(url, reason):
    with pytest.raises(netguard.AddressRefused) as refused:
        netguard.split_target(url)
    assert refused.value.reason == reason


def test_allow_hosts_is_precise():
    assert netguard.resolve_allowed("127.0.0.1", 8080, False, ("127.0.0.1:8080",)) == ["127.0.0.1"]
    assert netguard.resolve_allowed("127.0.0.1", 9090, False, ("127.0.0.1",)) == ["127.0.0.1"]
    with pytest.raises(netguard.AddressRefused):
        netguard.resolve_allowed("127.0.0.1", 9090, False, ("127.0.0.1:8080",))
    with pytest.raises(netguard.AddressRefused):
        netguard.resolve_allowed("127.0.0.2", 8080, False, ("127.0.0.1:8080",))


def test_internationalised_and_broken_host_names():
    assert netguard.split_target("http://bücher.example/a") == ("http", "xn--bcher-kva.example", 80)
    for url in ("http://a\u3002\x00b/", "http://ex ample.com/"):
        with pytest.raises(netguard.AddressRefused) as refused:
            netguard.split_target(url)
        assert refused.value.reason == "bad_url"
