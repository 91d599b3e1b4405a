package io.breakwater.deflate;

import static io.breakwater.deflate.DeflateConnectionSupport.FIN;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_CONTINUATION;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_TEXT;
import static io.breakwater.deflate.DeflateConnectionSupport.RSV1;
import static io.breakwater.deflate.DeflateConnectionSupport.WHOLE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.deflate.DeflateConnectionSupport.Message;
import io.breakwater.deflate.DeflateConnectionSupport.Negotiated;
import io.breakwater.deflate.DeflateConnectionSupport.Peer;
import io.breakwater.handshake.ExtensionHeader;
import io.breakwater.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 7692 §7.1.2.1/§7.1.2.2: a peer may compress with an LZ77 window smaller than 15 bits, and a
 * receiver with a 15-bit window reads any smaller one. {@link java.util.zip.Deflater} always uses 15
 * bits, so the peer's streams are fixtures made once with CPython's zlib (1.2.13), context takeover
 * on, one DEFLATE stream per window size, by this script:
 *
 * <pre>
 * import zlib
 * def rec(i): return '{"id":%d,"name":"user-%d","score":%d},' % (i, i, (i * 37) % 1000)
 * m1 = '[' + ''.join(rec(i) for i in range(0, 40)) + ']'
 * m3 = ''.join(rec(i) for i in range(20, 60))
 * msgs = [m1, m1, m3, '', 'ab' * 600 + m1[:700], 'xy' * 5000, m1, 'pq' * 9000, m3]
 * for wbits in range(9, 16):
 *     c = zlib.compressobj(6, zlib.DEFLATED, -wbits)        # raw DEFLATE, 2^wbits-byte window
 *     out = []
 *     for m in msgs:
 *         data = c.compress(m.encode()) + c.flush(zlib.Z_SYNC_FLUSH)
 *         assert data.endswith(b'\x00\x00\xff\xff')
 *         out.append(data[:-4])                              # RFC 7692 §7.2.1
 *     d = zlib.decompressobj(-wbits)                         # the fixtures decode with exactly that window
 *     for m, data in zip(msgs, out):
 *         assert d.decompress(data + b'\x00\x00\xff\xff') == m.encode()
 *     print(wbits, [data.hex() for data in out])
 * </pre>
 *
 * The messages repeat earlier ones at distances of about 1.5 KiB, 10 KiB and 19 KiB, so each window
 * size gives a different stream (the repeats are references only where the window reaches); the
 * empty message is the single octet 00 zlib writes for it.
 */
// A decoder that loops would hang the build: fail such a test instead (each takes well under a second).
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeflateSmallWindowTest {

    /** The messages the fixtures compress, in order; built as the script builds them. */
    static final List<String> MESSAGES;

    static {
        String m1 = "[" + records(0, 40) + "]";
        String m3 = records(20, 60);
        MESSAGES = List.of(m1, m1, m3, "", "ab".repeat(600) + m1.substring(0, 700), "xy".repeat(5000), m1,
                "pq".repeat(9000), m3);
    }

    private static String records(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(String.format("{\"id\":%d,\"name\":\"user-%d\",\"score\":%d},", i, i, (i * 37) % 1000));
        }
        return text.toString();
    }

    /** FIXTURES[wbits - 9][message]: the compressed payloads, 00 00 ff ff removed. */
    static final String[][] FIXTURES = {
            // 9-bit window
            {
                "5ccabb4a44410c00d07fb9f51526af49b2bf2216a25b58a8b08b95f8ef0a324926ede13c7e1f6fafc7659cc7c7f3fbf5"
                    + "b81c5ff7ebed611ce7717ff9bcfdc1f839ff0bec05b290ae83fbc13ccaebd07e280f00acc47be292d856923d4949262b"
                    + "cd3dcd4c88b892ee494b125fc9f66425f95cc9f7e49988682518fb82519a8e68d01a64e3a1d1b0352c8d391ab546a519"
                    + "44e3d6389b804593d6a4349168b3b5599a63346d4db34df468d69a953667346fcdb3e9a0d570ec0d47693ca2416b509a"
                    + "6a346c0db31970346a8d4a1388c6ad716966d1a435c9e628d1666bb3b489d1b4352dcd3d9ab566d968c6f2b63c97d25a"
                    + "34f6452317c08806ad4169acd1b0352ccd381ab546d910211ab7c6a5894593d6a4349768b3b5998d08a3696b5adaf468"
                    + "d69a65e331a3796b5e1ad3cff9f40b",
                "5cceb96d04300c05d18636106fb216c3a5b8f70d0c91d4cf1f06f3f30fcfebceb0735bf4125a5f710dbf86c784f6132c"
                    + "8d21a28bf445ba90e645f6225b28ed227f910f62e68be245b190d545f9a25ca8fca27a510d12918be8bc8ace62719a11"
                    + "301aa6279a31305e4cb5990093c5929a29301d6694cd0c982d66d6cc81f962c5cd02580c73ae66092c17736f56c06a58"
                    + "1cb98ccfcbf82ca6a71901a3c5229a31301e96a4cd04982c66d44c81e96299cd0c980d2bb6660ecc17736e16c062b1aa"
                    + "66092c8789b72a50352ae42a39af92338ae8342360b498463306c68ba5361360328c999a29305dccb29901b3c5ca9a39"
                    + "301f26c2cd02582ce6d52c81e5303ddeac80d5622a7f9fdf2f00",
                "5cccb97104400804c084642c3f04a7dc65a86ee0c6efea7fa7efdbe95b57fe3e9d0a3139ac0a4c89e9b2160733627658"
                    + "089813f3c3bac182582c1b0db0249687a58215b13a6c06ac89f5324ba82135abca3ecadeb7b2b74ae481093139cc0b4c"
                    + "89e961ed6046cc96a90a9813f3c3a2c182581c360196c47299998215b13a2c07ac89f5327f0936c4e630b70ff3f7cdfc"
                    + "1dd60f4c88c9b2900253627a58389811b3c346c09c982f4b6db0201687658025b15c564fc18a581d6603d6c4fab04ab0"
                    + "2136cb5aecc3e27db37887c50313627258179812d365a30e66c4ecb0143027e6874d8305b158660195a47255295491aa"
                    + "55f206ac89f5619e60436c0e6bfbfdf903",
                "00",
                "ecca4d0a02310c40e1bb743d429326fd99abb81a75162e5498c195787705499bf4064279bbc7b79c46a3d1e83f3abedc"
                    + "f5e2663fb9fb725bddec9efbba1dbc9bdc7e7e6cdfe1dfd38f8025d0484862d01a6c269198604d680600049145a41065"
                    + "416c112b945950b42836848882924549212e82b24559a11205158b4a43210441e0ad02af58f29541c7a031f2a932ec18"
                    + "2a465459e858502c4365d4316a8c2157c61d63c5982b8b1d8b8a15ac2c752c3516b154960dfb00",
                "ecc2010900000002a0dbf5be1d81680a000000000000000000ff06",
                "5ccabb4a44410c00d07fb9f51526af49b2bf2216a25b58a8b08b95f8ef0a324926ede13c7e1f6fafc7659cc7c7f3fbf5"
                    + "b81c5ff7ebed611ce7717ff9bcfdc1f839ff0bec05b290ae83fbc13ccaebd07e280f00acc47be292d856923d4949262b"
                    + "cd3dcd4c88b892ee494b125fc9f66425f95cc9f7e49988682518fb82519a8e68d01a64e3a1d1b0352c8d391ab546a519"
                    + "44e3d6389b804593d6a4349168b3b5599a63346d4db34df468d69a953667346fcdb3e9a0d570ec0d47693ca2416b509a"
                    + "6a346c0db31970346a8d4a1388c6ad716966d1a435c9e628d1666bb3b489d1b4352dcd3d9ab566d968c6f2b63c97d25a"
                    + "34f6452317c08806ad4169acd1b0352ccd381ab546d910211ab7c6a5894593d6a4349768b3b5998d08a3696b5adaf468"
                    + "d69a65e331a3796b5e1ad3cff9f40b",
                "ecc2310d00000002a0cadaffb18763900200000000000000000000000000000000f06000",
                "5cca3b4e5c411005d0bdbc782c75fdbaaad88d050404b62590238bbd9b80b95d73d3a3f3ef7a7bb99e74ddaedf3f7fbd"
                    + "5e4fd7df8fd7f71fbaaedbf5f1fce7fd4bd2d7e7edbb0935192d134da9e969258e66d46cb41034a7e6a355a105b538ad"
                    + "35d036b53dda56b4a496a375a315b53acd3656d3eab3d2eecbd6e3b27596c842136a329a279a52d3d1cad18c9a9da62a"
                    + "684ecd478b420b6a315a07daa6b64f3353b4a496a3ed462b6a759aaf8dd6d47a34b77bf3f5d87c8d560b4da8c9692189"
                    + "a6d474b47034a366a3b5a039353f6d6ba105b5186d07daa6b64fcba568492d47b3462b6a355a6eb4a6d6a795d8bdc57a"
                    + "6cb1468b8526d464b44a34a5a6a7b53a9a51b3d1b6a039351fad0b2da8c56916589bd63e2b152b69e559b21aada8d568"
                    + "bed19a5a8f56f679fb0f"
            },
            // 10-bit window
            {
                "5cd23d4e83410c84e1bb6c1da4f5787f731544812005052025a242dc9d48d1fa9b9dd67aab79fcfc9b3eded3399fd2d7"
                    + "ebe7259dd3cfed727dcae9946e6fdfd7fb21ff9d1e89ed891d89f7d5606f7034bdacc6f7c68fc6cc5654f6a85054c68a"
                    + "ea1e558a465d51dba376440056d4f7a85354e78ac61e0d8a665bd1dca3492bb9c79432b7651ef3585c27a7cd4b8ed14d"
                    + "56379abd94d8dd6478a3e5cb88e54da637dabe5a6c6f32bed1fab5c6fa26f31bed5f67ec6f026024d0100226044606ad"
                    + "858109829142cfa1005140e6770d05880248a1f750802880148685024401a4306a284014400a6384024401a430110a10"
                    + "0590c26ca100510029cc190a10059082070204018c10062e064e066661e062e06460250c5c0c9c0c6c84818b81930110"
                    + "062e064e06a861e062e0648019062e064e06ee61e062e09dc70d03170327839203c105c109a194bbc2cb3f00",
                "5cd2cb0943511442d1969e7abfb584f4df46020123cecfe0b097afdf613184820d8a20046480ea1ff9f7bf7ebd94e06e"
                    + "5fe94772bb7c859f89edee957d25b5ab57f49dd06e5ec94f32bb7805bf89ecd5a372e3c998ffe29d1c89ece8a8ea6022"
                    + "bb3b2a3ca2fc382e8f4a8f683fe1f6a8f888fa73ba3e2a3fa2ffbcee8f0240082c5a0045803058cb06280484c27eacc0"
                    + "52e09373b5024b81a1b0b715580a0c85032bb014180a675a81a5c05038c70a2c0586c2a515580a0c85bbacc0526028dc"
                    + "6b059602434146602130116ca032501800365019280c306ca0325018e0d84065a030206da032501870da4065a030e0b5"
                    + "81ca406120d94065a09d716da03250188cc7082a0405c2185f85f707",
                "5cd231ae64311042d12db529782eef7f637f821142e444f7f01fab18100c976640312018ee35038a01c1b0c70c280604"
                    + "c3ca0c280604c3ae19500c08860733a018100cef33038a01c1f09e19500cd8d4f2aa14100a776c55061306e7d860ca60"
                    + "c2e0d00653061306676d3065306100d860ca60c200b2c194c184019e0da60c260c666c30653037e3da60ca60c2803f23"
                    + "4c214c20905660293014b8566029301474acc0526028485660293014f4acc05260287cb0024b81a1f07d5660293014ee"
                    + "cf0a2c05de3caf15580a0c857badc0526028ecb1824a41a1b0b2824a41a1b06b05958242e1c10a2a0585c2fbaca05250"
                    + "28bc6705958242618ca0425022d84065a030383f1ba80c140687365019280ccefe33f803",
                "00",
                "ecd13d0a02311086e1bba45e215ffeb357b15a750b0b1576b112efae2093cccc0d84f075c353bdb39cc6c6c6c6fe63c7"
                    + "97b95ecc6c27735f6eab99cd735fb7833593d9cf8fed7bb0efe94720093af1998c93c6759303192f8def0600a1205160"
                    + "28144251a2c85089849244a923e71ca12c516628564245a2c2504d84aa449555f2bea554b96179cc5e5c2767cd836dd1"
                    + "a1aa83650fa175870a0f563e94561e2a3d58fb88d61e2a3e58fd185b7da8fc60fd636dfda11e00f681e4da07205ff001",
                "ecc2010900000002a0dbf5be1d81680a000000000000000000ff06",
                "5cd23d4e83410c84e1bb6c1da4f5787f731544812005052025a242dc9d48d1fa9b9dd67aab79fcfc9b3eded3399fd2d7"
                    + "ebe7259dd3cfed727dcae9946e6fdfd7fb21ff9d1e89ed891d89f7d5606f7034bdacc6f7c68fc6cc5654f6a85054c68a"
                    + "ea1e558a465d51dba376440056d4f7a85354e78ac61e0d8a665bd1dca3492bb9c79432b7651ef3585c27a7cd4b8ed14d"
                    + "56379abd94d8dd6478a3e5cb88e54da637dabe5a6c6f32bed1fab5c6fa26f31bed5f67ec6f026024d0100226044606ad"
                    + "858109829142cfa1005140e6770d05880248a1f750802880148685024401a4306a284014400a6384024401a430110a10"
                    + "0590c26ca100510029cc190a10059082070204018c10062e064e066661e062e06460250c5c0c9c0c6c84818b81930110"
                    + "062e064e06a861e062e0648019062e064e06ee61e062e09dc70d03170327839203c105c109a194bbc2cb3f00",
                "ecc2310d00000002a0cadaffb18763900200000000000000000000000000000000f06000",
                "5cd2314e43411083e1bbbc3a486f77ecb7bbb90d8214148094880a7177528063b91dfd95bff9dede5eb773df4fdbc7f3"
                    + "fb653b6f5fb7cbf5a9efdb69bbbd7c5eef9781fde7f497b5c89a656328eb91f547361b94556465199b324406cbe654c6"
                    + "c8f8c856a7b223b2c3b2a32b1b910dcbd65236239b8fac0e552baa65b3d57f55615066d09a0c2a0cca0c1a6450615066"
                    + "d0a60c2a0cca0c7a974185419941a70c2a0cca0cfa924185419941950c2a0c6af8b832a8302833c02e840a843204400a"
                    + "08059802a614100a300536292014600aa414100a30052e292014600a4797024201a6701c524028c014c62e058402863f"
                    + "af14100a308531a480508029cc260586024d61520a0c059ac29c526028d0145697024381a6b00e293014680a6b4981a1"
                    + "405328213010e808326018d00cda2e038601cda041060c039a419b77835f00"
            },
            // 11-bit window
            {
                "5cd43d4e83311084e1bb7c7590bcbbfecd5510058214148094880a717722451e8fa7b5de6a1e6b9f7f8f8ff7e39c4ec7"
                    + "d7ebe7e5381f3fb7cbf5291da7e3f6f67dbd3fa4bfd323b13db195449b8def8dafa6e5d9c4dec46acc6c46798f3245b9"
                    + "cfa8ec51a1a89719d53daa2b72f719b53d6a149531a3be479da2516734f668d04a119852e6b6c463aec57572da3c278c"
                    + "6eb2bad1ec39637793e18d96cf1dcb9b4c6fb47d316c6f32bed1faa5607d93f98df62f03fb9b00180954878009819141"
                    + "ad303041305268090a2e0a9ef8bb42c145c149a1b5f5f5f5ef93423728b8283829f4020517052785dea1e0a2e0a4301c"
                    + "0a2e0a4e0aa342c145c149610c28b828382904105c109c116010621089cf010c420cc2f820c020c4209c4fc2ba407a82"
                    + "828f020c420c22f35980418841143e0c30083188caa701062106d1785c18841844e7d300841084187c1aee0a2fff00",
                "8a1e2dff47cbffd1f27fb4fc1f2dff4764f90f00",
                "ecd4d111c4200002d19634618df6dfd8dd17c35083353cd87b857b857b055941a5a050d0b6824a41a1c0b4824a41a100"
                    + "5650292814385650292814d66305958242612d2ba814140adfb0824a415f8ed70a2a05ed4c8315540a3a99062b500a8c"
                    + "4c8315280566a6c10a94024fa6c10a94026fa6c10a9402ca3458815220145e23500824820d2803c2600e1b5006ec4c83"
                    + "0d28034ea6e16ff003",
                "00",
                "ecd5c10d02410c43d196d69904d85a3841ff457040f29adf01d2c81dfc4879aff7dededede7fecf9fd6b3023c83018f0"
                    + "22b858d60258841577530129020ac950c089ce677c31815f9cafd84a008930a2ca48c08820a2c644408800a24e03011f"
                    + "8287b5965322b78e8c791567f268de87a30bd515d9bbdd5d08af28df0f9717d22bda8fdc5e88afa83fe3fa427e45ff39"
                    + "dd5f3880e202b7f205f47b820f00",
                "ecc2010900000002a0dbf5be1d81680a000000000000000000ff06",
                "5cd43d4e83311084e1bb7c7590bcbbfecd5510058214148094880a717722451e8fa7b5de6a1e6b9f7f8f8ff7e39c4ec7"
                    + "d7ebe7e5381f3fb7cbf5291da7e3f6f67dbd3fa4bfd323b13db195449b8def8dafa6e5d9c4dec46acc6c46798f3245b9"
                    + "cfa8ec51a1a89719d53daa2b72f719b53d6a149531a3be479da2516734f668d04a119852e6b6c463aec57572da3c278c"
                    + "6eb2bad1ec39637793e18d96cf1dcb9b4c6fb47d316c6f32bed1faa5607d93f98df62f03fb9b00180954878009819141"
                    + "ad303041305268090a2e0a9ef8bb42c145c149a1b5f5f5f5ef93423728b8283829f4020517052785dea1e0a2e0a4301c"
                    + "0a2e0a4e0aa342c145c149610c28b828382904105c109c116010621089cf010c420cc2f820c020c4209c4fc2ba407a82"
                    + "828f020c420c22f35980418841143e0c30083188caa701062106d1785c18841844e7d300841084187c1aee0a2fff00",
                "ecc2310d00000002a0cadaffb18763900200000000000000000000000000000000f06000",
                "5cd4314e03311484e1bb6c1da4b5dfccdace6d10a4a000a4445488bb930226a369adbf7a9f35dfdbdbeb76eefb69fb78"
                    + "7ebf6ce7edeb76b93ef57d3b6db797cfebfd6560ff39fd652db266d918ca7a64fd91cd0665155959c6a60c91c1b23995"
                    + "31323eb2d5a9ec88ecb0ece8ca4664c3b2b594cdc8e623ab43d58a6ad9d9eabfaa302833684d06150665060d32a83028"
                    + "3368530615066506bdcba0c2a0cca05306150665067dc9a0c2a0cca04a06150635fcb832a8302833c02e840a84320440"
                    + "0a08059802a614100a300536292014600aa414100a30052e292014600a4797024201a6701c524028c014c62e05840286"
                    + "7f5e292014307d1aa48050c0f26990024381bb4f8314180a6c3e0d526028b0fb344881a1c0f26990024381f069900243"
                    + "81a650426020d01164c030a019b45d060c034e9f0619300cb87c1aee06bf00"
            },
            // 12-bit window
            {
                "5cd43d4e83311084e1bb7c7590bcbbfecd5510058214148094880a717722451e8fa7b5de6a1e6b9f7f8f8ff7e39c4ec7"
                    + "d7ebe7e5381f3fb7cbf5291da7e3f6f67dbd3fa4bfd323b13db195449b8def8dafa6e5d9c4dec46acc6c46798f3245b9"
                    + "cfa8ec51a1a89719d53daa2b72f719b53d6a149531a3be479da2516734f668d04a119852e6b6c463aec57572da3c278c"
                    + "6eb2bad1ec39637793e18d96cf1dcb9b4c6fb47d316c6f32bed1faa5607d93f98df62f03fb9b00180954878009819141"
                    + "ad303041305268090a2e0a9ef8bb42c145c149a1b5f5f5f5ef93423728b8283829f4020517052785dea1e0a2e0a4301c"
                    + "0a2e0a4e0aa342c145c149610c28b828382904105c109c116010621089cf010c420cc2f820c020c4209c4fc2ba407a82"
                    + "828f020c420c22f35980418841143e0c30083188caa701062106d1785c18841844e7d300841084187c1aee0a2fff00",
                "8a1e2dff47cbffd1f27fb4fc1f2dff4764f90f00",
                "ecd6c111c4301002c1942c9b91a5fc13bb7b618a181443ef4e715ee1bcc279055941a5a050d0b2824a41a1c0b0824a41"
                    + "a1005650292814d8df28ea55140af3b6824a41a130a715540a0a85f7b2824a416f1eaf15540a5a99062ba814b4330d56"
                    + "a014b8320d56a0141899062b500adc99062b500a3c99062b500a28d3f08dd35ea7a1f018814220116c40191006e3b201"
                    + "65c0ca34d8803260671afe063f00",
                "00",
                "ecd6c109c3400c44d1963cda55b06bf1c9e9bf881c02b393df416051075fa0a7e7bd67cf9e3dff31f7f7aec18c20c360"
                    + "c08be062acef15cf5a7ec27e26f04be4a7b6b80675798c1713b8c5798aad04900823aa8c048c0822aa4d04840820ea32"
                    + "10f0217818c3440bb97564cc559cc9a3f93c1c5da8aec83ea7bb0be115e5e7e9f2427a45fb96db0bf115f5bb5d5fc8af"
                    + "e8df97fb0b0b506ce055de807e57f001",
                "ecc2010900000002a0dbf5be1d81680a000000000000000000ff06",
                "5cd43d4e83311084e1bb7c7590bcbbfecd5510058214148094880a717722451e8fa7b5de6a1e6b9f7f8f8ff7e39c4ec7"
                    + "d7ebe7e5381f3fb7cbf5291da7e3f6f67dbd3fa4bfd323b13db195449b8def8dafa6e5d9c4dec46acc6c46798f3245b9"
                    + "cfa8ec51a1a89719d53daa2b72f719b53d6a149531a3be479da2516734f668d04a119852e6b6c463aec57572da3c278c"
                    + "6eb2bad1ec39637793e18d96cf1dcb9b4c6fb47d316c6f32bed1faa5607d93f98df62f03fb9b00180954878009819141"
                    + "ad303041305268090a2e0a9ef8bb42c145c149a1b5f5f5f5ef93423728b8283829f4020517052785dea1e0a2e0a4301c"
                    + "0a2e0a4e0aa342c145c149610c28b828382904105c109c116010621089cf010c420cc2f820c020c4209c4fc2ba407a82"
                    + "828f020c420c22f35980418841143e0c30083188caa701062106d1785c18841844e7d300841084187c1aee0a2fff00",
                "ecc2310d00000002a0cadaffb18763900200000000000000000000000000000000f06000",
                "5cd4314e03311484e1bb6c1da4b5dfccdace6d10a4a000a4445488bb930226a369adbf7a9f35dfdbdbeb76eefb69fb78"
                    + "7ebf6ce7edeb76b93ef57d3b6db797cfebfd6560ff39fd652db266d918ca7a64fd91cd0665155959c6a60c91c1b23995"
                    + "31323eb2d5a9ec88ecb0ece8ca4664c3b2b594cdc8e623ab43d58a6ad9d9eabfaa302833684d06150665060d32a83028"
                    + "3368530615066506bdcba0c2a0cca05306150665067dc9a0c2a0cca04a06150635fcb832a8302833c02e840a84320440"
                    + "0a08059802a614100a300536292014600aa414100a30052e292014600a4797024201a6701c524028c014c62e05840286"
                    + "7f5e292014307d1aa48050c0f26990024381bb4f8314180a6c3e0d526028b0fb344881a1c0f26990024381f069900243"
                    + "81a650426020d01164c030a019b45d060c034e9f0619300cb87c1aee06bf00"
            },
            // 13-bit window
            {
                "5cd43d4e83311084e1bb7c7590bcbbfecd5510058214148094880a717722451e8fa7b5de6a1e6b9f7f8f8ff7e39c4ec7"
                    + "d7ebe7e5381f3fb7cbf5291da7e3f6f67dbd3fa4bfd323b13db195449b8def8dafa6e5d9c4dec46acc6c46798f3245b9"
                    + "cfa8ec51a1a89719d53daa2b72f719b53d6a149531a3be479da2516734f668d04a119852e6b6c463aec57572da3c278c"
                    + "6eb2bad1ec39637793e18d96cf1dcb9b4c6fb47d316c6f32bed1faa5607d93f98df62f03fb9b00180954878009819141"
                    + "ad303041305268090a2e0a9ef8bb42c145c149a1b5f5f5f5ef93423728b8283829f4020517052785dea1e0a2e0a4301c"
                    + "0a2e0a4e0aa342c145c149610c28b828382904105c109c116010621089cf010c420cc2f820c020c4209c4fc2ba407a82"
                    + "828f020c420c22f35980418841143e0c30083188caa701062106d1785c18841844e7d300841084187c1aee0a2fff00",
                "8a1e2dff47cbffd1f27fb4fc1f2dff4764f90f00",
                "ecd6c111c4301002c1942c9b91a5fc13bb7b618a181443ef4e715ee1bcc279055941a5a050d0b2824a41a1c0b0824a41"
                    + "a1005650292814d8df28ea55140af3b6824a41a130a715540a0a85f7b2824a416f1eaf15540a5a99062ba814b4330d56"
                    + "a014b8320d56a0141899062b500adc99062b500a3c99062b500a28d3f08dd35ea7a1f018814220116c40191006e3b201"
                    + "65c0ca34d8803260671afe063f00",
                "00",
                "4a4c1a85a370148ec2a10147c73046c73086ea180600",
                "ecc2010900000002a0dbf5be1d81680a000000000000000000ff06",
                "5cd43d4e83311084e1bb7c7590bcbbfecd5510058214148094880a717722451e8fa7b5de6a1e6b9f7f8f8ff7e39c4ec7"
                    + "d7ebe7e5381f3fb7cbf5291da7e3f6f67dbd3fa4bfd323b13db195449b8def8dafa6e5d9c4dec46acc6c46798f3245b9"
                    + "cfa8ec51a1a89719d53daa2b72f719b53d6a149531a3be479da2516734f668d04a119852e6b6c463aec57572da3c278c"
                    + "6eb2bad1ec39637793e18d96cf1dcb9b4c6fb47d316c6f32bed1faa5607d93f98df62f03fb9b00180954878009819141"
                    + "ad303041305268090a2e0a9ef8bb42c145c149a1b5f5f5f5ef93423728b8283829f4020517052785dea1e0a2e0a4301c"
                    + "0a2e0a4e0aa342c145c149610c28b828382904105c109c116010621089cf010c420cc2f820c020c4209c4fc2ba407a82"
                    + "828f020c420c22f35980418841143e0c30083188caa701062106d1785c18841844e7d300841084187c1aee0a2fff00",
                "ecc2310d00000002a0cadaffb18763900200000000000000000000000000000000f06000",
                "5cd4314e03311484e1bb6c1da4b5dfccdace6d10a4a000a4445488bb930226a369adbf7a9f35dfdbdbeb76eefb69fb78"
                    + "7ebf6ce7edeb76b93ef57d3b6db797cfebfd6560ff39fd652db266d918ca7a64fd91cd0665155959c6a60c91c1b23995"
                    + "31323eb2d5a9ec88ecb0ece8ca4664c3b2b594cdc8e623ab43d58a6ad9d9eabfaa302833684d06150665060d32a83028"
                    + "3368530615066506bdcba0c2a0cca05306150665067dc9a0c2a0cca04a06150635fcb832a8302833c02e840a84320440"
                    + "0a08059802a614100a300536292014600aa414100a30052e292014600a4797024201a6701c524028c014c62e05840286"
                    + "7f5e292014307d1aa48050c0f26990024381bb4f8314180a6c3e0d526028b0fb344881a1c0f26990024381f069900243"
                    + "81a650426020d01164c030a019b45d060c034e9f0619300cb87c1aee06bf00"
            },
            // 14-bit window
            {
                "5cd43d4e83311084e1bb7c7590bcbbfecd5510058214148094880a717722451e8fa7b5de6a1e6b9f7f8f8ff7e39c4ec7"
                    + "d7ebe7e5381f3fb7cbf5291da7e3f6f67dbd3fa4bfd323b13db195449b8def8dafa6e5d9c4dec46acc6c46798f3245b9"
                    + "cfa8ec51a1a89719d53daa2b72f719b53d6a149531a3be479da2516734f668d04a119852e6b6c463aec57572da3c278c"
                    + "6eb2bad1ec39637793e18d96cf1dcb9b4c6fb47d316c6f32bed1faa5607d93f98df62f03fb9b00180954878009819141"
                    + "ad303041305268090a2e0a9ef8bb42c145c149a1b5f5f5f5ef93423728b8283829f4020517052785dea1e0a2e0a4301c"
                    + "0a2e0a4e0aa342c145c149610c28b828382904105c109c116010621089cf010c420cc2f820c020c4209c4fc2ba407a82"
                    + "828f020c420c22f35980418841143e0c30083188caa701062106d1785c18841844e7d300841084187c1aee0a2fff00",
                "8a1e2dff47cbffd1f27fb4fc1f2dff4764f90f00",
                "ecd6c111c4301002c1942c9b91a5fc13bb7b618a181443ef4e715ee1bcc279055941a5a050d0b2824a41a1c0b0824a41"
                    + "a1005650292814d8df28ea55140af3b6824a41a130a715540a0a85f7b2824a416f1eaf15540a5a99062ba814b4330d56"
                    + "a014b8320d56a0141899062b500adc99062b500a3c99062b500a28d3f08dd35ea7a1f018814220116c40191006e3b201"
                    + "65c0ca34d8803260671afe063f00",
                "00",
                "4a4c1a85a370148ec2a10147c73046c73086ea180600",
                "ecc2010900000002a0dbf5be1d81680a000000000000000000ff06",
                "1a5dcb39ba9673a8aee51cdd8f3aba096f74131e65fb510100",
                "ecc2310d00000002a0cadaffb18763900200000000000000000000000000000000f06000",
                "5cd4314e03311484e1bb6c1da4b5dfccdace6d10a4a000a4445488bb930226a369adbf7a9f35dfdbdbeb76eefb69fb78"
                    + "7ebf6ce7edeb76b93ef57d3b6db797cfebfd6560ff39fd652db266d918ca7a64fd91cd0665155959c6a60c91c1b23995"
                    + "31323eb2d5a9ec88ecb0ece8ca4664c3b2b594cdc8e623ab43d58a6ad9d9eabfaa302833684d06150665060d32a83028"
                    + "3368530615066506bdcba0c2a0cca05306150665067dc9a0c2a0cca04a06150635fcb832a8302833c02e840a84320440"
                    + "0a08059802a614100a300536292014600aa414100a30052e292014600a4797024201a6701c524028c014c62e05840286"
                    + "7f5e292014307d1aa48050c0f26990024381bb4f8314180a6c3e0d526028b0fb344881a1c0f26990024381f069900243"
                    + "81a650426020d01164c030a019b45d060c034e9f0619300cb87c1aee06bf00"
            },
            // 15-bit window
            {
                "5cd43d4e83311084e1bb7c7590bcbbfecd5510058214148094880a717722451e8fa7b5de6a1e6b9f7f8f8ff7e39c4ec7"
                    + "d7ebe7e5381f3fb7cbf5291da7e3f6f67dbd3fa4bfd323b13db195449b8def8dafa6e5d9c4dec46acc6c46798f3245b9"
                    + "cfa8ec51a1a89719d53daa2b72f719b53d6a149531a3be479da2516734f668d04a119852e6b6c463aec57572da3c278c"
                    + "6eb2bad1ec39637793e18d96cf1dcb9b4c6fb47d316c6f32bed1faa5607d93f98df62f03fb9b00180954878009819141"
                    + "ad303041305268090a2e0a9ef8bb42c145c149a1b5f5f5f5ef93423728b8283829f4020517052785dea1e0a2e0a4301c"
                    + "0a2e0a4e0aa342c145c149610c28b828382904105c109c116010621089cf010c420cc2f820c020c4209c4fc2ba407a82"
                    + "828f020c420c22f35980418841143e0c30083188caa701062106d1785c18841844e7d300841084187c1aee0a2fff00",
                "8a1e2dff47cbffd1f27fb4fc1f2dff4764f90f00",
                "ecd6c111c4301002c1942c9b91a5fc13bb7b618a181443ef4e715ee1bcc279055941a5a050d0b2824a41a1c0b0824a41"
                    + "a1005650292814d8df28ea55140af3b6824a41a130a715540a0a85f7b2824a416f1eaf15540a5a99062ba814b4330d56"
                    + "a014b8320d56a0141899062b500adc99062b500a3c99062b500a28d3f08dd35ea7a1f018814220116c40191006e3b201"
                    + "65c0ca34d8803260671afe063f00",
                "00",
                "4a4c1a85a370148ec2a10147c73046c73086ea180600",
                "ecc2010900000002a0dbf5be1d81680a000000000000000000ff06",
                "1a5dcb39ba9673a8aee51cdd8f3aba096f74131e65fb510100",
                "ecc2310d00000002a0cadaffb18763900200000000000000000000000000000000f06000",
                "ecdcb111c4300002c1962c9b93a5fe1bfb8f30430daa61990b39d74ae75ae95c2bc90a2a0585829615540a0a05861554"
                    + "0a0a05b0824a41a1c0fe4ef6fa652f14e66d05958242614e2ba814140aef65059582de1caf15540a5a99062ba814b433"
                    + "0d56a014b8320d56a0141899062b500adc99062b500a3c99062b500a28d3f09d1df6db61283c46a01048041b500684c1"
                    + "b86c4019b0320d36a00cd89986bfc10f"
            }
    };

    static Stream<Arguments> cases() {
        return IntStream.rangeClosed(9, 15).boxed().flatMap(bits -> Stream.of(Role.SERVER, Role.CLIENT)
                .flatMap(role -> IntStream.of(1, 7, WHOLE).mapToObj(chunk -> Arguments.of(bits, role, chunk))));
    }

    @ParameterizedTest(name = "window {0} bits, received by the {1}, chunks of {2}")
    @MethodSource("cases")
    void decodesAStreamMadeWithASmallerWindow(int windowBits, Role receiverRole, int chunkSize) throws Exception {
        String[] fixtures = FIXTURES[windowBits - 9];
        assertEquals(MESSAGES.size(), fixtures.length);
        Peer receiver = receiver(windowBits, receiverRole);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < fixtures.length; i++) {
            byte[] payload = HexFormat.of().parseHex(fixtures[i]);
            // message 2 in two frames, message 8 in three: only the first frame carries RSV1 (RFC 7692 §6.1)
            int frames = i == 2 ? 2 : i == 8 ? 3 : 1;
            for (int f = 0; f < frames; f++) {
                byte[] part = Arrays.copyOfRange(payload, payload.length * f / frames, payload.length * (f + 1) / frames);
                int first = (f == frames - 1 ? FIN : 0) | (f == 0 ? RSV1 | OP_TEXT : OP_CONTINUATION);
                wire.writeBytes(receiver.peerFrame(first, part));
            }
        }
        receiver.feed(wire.toByteArray(), chunkSize);
        receiver.listener.assertNoError();
        List<Message> got = receiver.listener.messages;
        assertEquals(MESSAGES.size(), got.size(), "messages received");
        for (int i = 0; i < MESSAGES.size(); i++) {
            assertTrue(got.get(i).text());
            assertArrayEquals(DeflateConnectionSupport.utf8(MESSAGES.get(i)), got.get(i).data(),
                    "message " + i + " of the " + windowBits + "-bit stream");
        }
        receiver.connection.transportClosed();
    }

    /** An end that negotiated letting its peer compress with {@code windowBits}. */
    private static Peer receiver(int windowBits, Role role) throws DeflateNegotiationException {
        if (role == Role.SERVER) {
            // The client (the fixture's maker) offers to compress with at most windowBits.
            Negotiated negotiated = DeflateConnectionSupport.negotiate(
                    "permessage-deflate; client_max_window_bits=" + windowBits,
                    DeflateConfig.DEFAULTS, DeflateConfig.DEFAULTS);
            assertTrue(negotiated.accepted());
            return Peer.of(Role.SERVER, negotiated);
        }
        // The server (the fixture's maker) answers our offer with a smaller window of its own.
        DeflateParameters parameters = DeflateNegotiation.negotiateAsClient(
                ExtensionHeader.parse("permessage-deflate; server_max_window_bits=" + windowBits).get(0),
                DeflateConfig.DEFAULTS);
        assertEquals(windowBits, parameters.serverMaxWindowBits());
        return new Peer(Role.CLIENT, parameters.newExtension(Role.CLIENT, DeflateConfig.DEFAULTS));
    }
}
