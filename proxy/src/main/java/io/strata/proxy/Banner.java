package io.strata.proxy;

import io.micronaut.context.ApplicationContext;
import io.strata.proxy.config.ClientKeys;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.demo.WellLogDataset;
import io.strata.proxy.s3.S3Server;
import java.net.InetSocketAddress;
import java.util.Optional;

/** What Strata prints once it is listening: where it is, and for the demo how to use it. */
final class Banner {

  private Banner() {}

  static void print(ApplicationContext context, boolean demo) {
    S3Server server = context.getBean(S3Server.class);
    InetSocketAddress s3 = server.address();
    String endpoint = server.scheme() + "://" + s3.getHostString() + ":" + s3.getPort();
    String adminHost = context.getProperty("micronaut.server.host", String.class).orElse("127.0.0.1");
    String admin = context.getProperty("micronaut.server.port", Integer.class)
        .map(p -> "http://" + adminHost + ":" + p).orElse("-");
    ClientKeys keys = context.getBean(ClientKeys.class);
    StringBuilder out = new StringBuilder();
    out.append("\nStrata is running\n");
    out.append("  S3 endpoint : ").append(endpoint).append('\n');
    out.append("  dashboard   : ").append(admin).append("/   (admin API under /api, metrics at /metrics)\n");
    // Only a pair made for the demo is printed; configured secrets never are.
    String accessKey = "<access key>";
    String secretKey = "<secret key>";
    if (keys.madeForDemo()) {
      var pair = keys.secretsByAccessKey().entrySet().iterator().next();
      accessKey = pair.getKey();
      secretKey = pair.getValue();
      out.append("  client keys : ").append(accessKey).append(" / ").append(secretKey)
          .append("\n                (made for this demo; kept in the cache directory; sign requests with them)\n");
    } else if (keys.anonymous()) {
      out.append("  client keys : anonymous access is on (strata.auth.anonymous)\n");
    }
    Optional<DemoUpstream> upstream = context.findBean(DemoUpstream.class);
    if (demo && upstream.isPresent()) {
      DemoUpstream u = upstream.get();
      String sample = WellLogDataset.standard().keys().get(0);
      out.append("  upstream    : ").append(u.endpoint()).append(" (demo, in-process s3proxy)\n");
      out.append("  upstream key: ").append(u.accessKey()).append(" (Strata's own, for the demo upstream)\n");
      out.append("\nTry it (AWS CLI):\n");
      out.append("  export AWS_ACCESS_KEY_ID=").append(accessKey).append(" AWS_SECRET_ACCESS_KEY=")
          .append(secretKey).append(" AWS_DEFAULT_REGION=us-east-1\n");
      out.append("  aws --endpoint-url ").append(endpoint).append(" s3 ls s3://well-logs/ --recursive\n");
      out.append("  aws --endpoint-url ").append(endpoint)
          .append(" s3api get-object --bucket well-logs --key " + sample + " --range bytes=-65536 /tmp/footer.bin\n");
      out.append("  curl -sI --aws-sigv4 aws:amz:us-east-1:s3 --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" ")
          .append(endpoint).append("/well-logs/").append(sample).append('\n');
    }
    System.out.println(out);
  }
}
